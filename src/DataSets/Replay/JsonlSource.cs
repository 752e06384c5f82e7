using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.DataSets.Replay;

/// <summary>
/// Transactions already in the v1 contract, one JSON document per line (the shared <see cref="JsonlReader"/>: a byte-order
/// mark and CRLF are fine); each is validated as the scorer would.
/// </summary>
public static class JsonlSource
{
    public static IEnumerable<ReplayRecord> Read(ReplaySettings settings, Action<ReplayError> onError)
    {
        var name = Path.GetFileName(settings.Input);
        var window = EventTimeWindow.Now(settings.MaxFutureSkew);
        using var stream = new FileStream(settings.Input, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var lines = new JsonlReader(stream);
        while (lines.Read())
        {
            if (lines.TooLong)
            {
                onError(new ReplayError(name, lines.LineNumber, $"too_large: the line is {lines.Length} bytes long"));
            }
            else if (TransactionValidator.TryParse(lines.Current.Span, window, out var transaction, out var reason))
            {
                yield return new ReplayRecord(transaction, null);
            }
            else
            {
                onError(new ReplayError(name, lines.LineNumber, $"{reason.CodeName}: {reason.Detail}"));
            }
        }
    }
}
