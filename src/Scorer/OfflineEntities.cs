using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Features.Entities;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// The merchant and device totals of a file of transactions and one of labels: what the aggregator publishes for that
/// history (each distinct transaction once, its earliest fraud report), for <c>score-file</c>.
/// </summary>
internal static class OfflineEntities
{
    /// <exception cref="InvalidDataException">a label line is not a valid label.</exception>
    public static async Task<EntityTable> FromFilesAsync(FeatureSpec spec, string transactions, string? labels, EventTimeWindow window, CancellationToken cancellationToken)
    {
        var reports = labels is null ? [] : await EarliestFraudReportsAsync(labels, window, cancellationToken);
        var table = spec.NewEntityTable();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await using var input = new FileStream(transactions, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var lines = new JsonlReader(input);
        while (await lines.ReadAsync(cancellationToken))
        {
            // What the scorer admits, the aggregator counts: refused lines are in neither.
            if (!lines.TooLong && TransactionValidator.TryParse(lines.Current.Span, window, out var t, out _) && seen.Add(t.TransactionId))
            {
                table.AddHistory(FeatureInput.Of(t), reports.TryGetValue(t.TransactionId, out var reportMs) ? reportMs : long.MaxValue, spec.ReportHorizonDays);
            }
        }
        return table;
    }

    private static async Task<Dictionary<string, long>> EarliestFraudReportsAsync(string path, EventTimeWindow window, CancellationToken cancellationToken)
    {
        var reports = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var lines = new JsonlReader(input);
        while (await lines.ReadAsync(cancellationToken))
        {
            if (lines.TooLong)
            {
                throw new InvalidDataException($"{path}:{lines.LineNumber}: the line is {lines.Length} bytes long; at most {lines.MaxLineBytes} are read");
            }
            if (!LabelValidator.TryParse(lines.Current.Span, window, out var label, out var reason))
            {
                throw new InvalidDataException($"{path}:{lines.LineNumber}: {reason.CodeName}: {reason.Detail}");
            }
            if (label.IsFraud)
            {
                var ms = label.LabelledAt.ToUnixTimeMilliseconds();
                reports[label.TransactionId] = reports.TryGetValue(label.TransactionId, out var earlier) ? Math.Min(earlier, ms) : ms;
            }
        }
        return reports;
    }
}
