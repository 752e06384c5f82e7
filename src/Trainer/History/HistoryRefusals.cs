using System.Collections.Concurrent;
using System.Globalization;

namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// History rows the contract refuses (an amount beyond <see cref="Shared.Contracts.ContractLimits.MaxAmount"/>, a time
/// outside the window, a malformed line, a repeated id): not trained on, counted, and the first few named with their
/// reason, so one bad row costs itself and never the whole run. Thread-safe (the Postgres reader parses on a thread of
/// its own).
/// </summary>
internal sealed class HistoryRefusals
{
    private const int Kept = 5;
    private readonly ConcurrentQueue<string> _first = new();
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Records a refused row: <paramref name="where"/> names it (a line, an id), <paramref name="reason"/> says why.</summary>
    public void Add(string where, string reason)
    {
        if (Interlocked.Increment(ref _count) <= Kept)
        {
            _first.Enqueue($"{where}: {reason}");
        }
    }

    /// <summary>One line for the log, or null when nothing was refused.</summary>
    public string? Describe(string what) => Count == 0 ? null : string.Create(CultureInfo.InvariantCulture,
        $"{Count} {what} refused by the contract and left out: {string.Join("; ", _first)}{(Count > Kept ? "; ..." : "")}");
}
