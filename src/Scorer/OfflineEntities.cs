using System.Text.Json;
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
    /// <exception cref="InvalidDataException">a label line is not a label.</exception>
    public static async Task<EntityTable> FromFilesAsync(FeatureSpec spec, string transactions, string? labels, CancellationToken cancellationToken)
    {
        var reports = labels is null ? [] : await EarliestFraudReportsAsync(labels, cancellationToken);
        var table = spec.NewEntityTable();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await using var input = new FileStream(transactions, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        await JsonlLineReader.ReadAsync(input, (line, number) =>
        {
            if (TransactionValidator.TryParse(line, out var t, out var _) && seen.Add(t.TransactionId))
            {
                table.AddHistory(FeatureInput.Of(t), reports.TryGetValue(t.TransactionId, out var reportMs) ? reportMs : long.MaxValue, spec.ReportHorizonDays);
            }
        }, cancellationToken);
        return table;
    }

    private static async Task<Dictionary<string, long>> EarliestFraudReportsAsync(string path, CancellationToken cancellationToken)
    {
        var reports = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        await JsonlLineReader.ReadAsync(input, (line, number) =>
        {
            if (line.IndexOfAnyExcept(" \t"u8) < 0)
            {
                return;
            }
            Label label;
            try
            {
                label = ContractJson.DeserializeLabel(line);
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path}:{number}: {ex.Message}", ex);
            }
            if (label.IsFraud)
            {
                var ms = label.LabelledAt.ToUnixTimeMilliseconds();
                reports[label.TransactionId] = reports.TryGetValue(label.TransactionId, out var earlier) ? Math.Min(earlier, ms) : ms;
            }
        }, cancellationToken);
        return reports;
    }
}
