using System.Globalization;

namespace Fraud.Streaming.Trainer;

/// <summary>A training run's progress lines (<c>[phase] message</c>) and the time each timed phase took.</summary>
internal sealed class RunLog(TextWriter output)
{
    private readonly List<KeyValuePair<string, TimeSpan>> _timings = [];

    /// <summary>Each timed phase and how long it took, in the order they ran.</summary>
    public IReadOnlyList<KeyValuePair<string, TimeSpan>> Timings => _timings;

    /// <summary>A timed phase ended: its line carries the time, and the time is kept for the report and the metrics.</summary>
    public void Phase(string phase, TimeSpan elapsed, string message)
    {
        _timings.Add(new(phase, elapsed));
        Line(phase, string.Create(CultureInfo.InvariantCulture, $"{message} in {elapsed.TotalSeconds:F2} s"));
    }

    public void Line(string phase, string message) => output.WriteLine($"[{phase}] {message}");
}
