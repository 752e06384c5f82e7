using System.Text;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Producer.Replay;

/// <summary>Transactions already in the v1 contract, one JSON document per line; each is validated as the scorer would.</summary>
internal static class JsonlSource
{
    public static IEnumerable<ReplayRecord> Read(ReplaySettings settings, Action<ReplayError> onError)
    {
        var name = Path.GetFileName(settings.Input);
        long line = 0;
        foreach (var text in File.ReadLines(settings.Input))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            if (TransactionValidator.TryParse(Encoding.UTF8.GetBytes(text), out var transaction, out var reason))
            {
                yield return new ReplayRecord(transaction, null);
            }
            else
            {
                onError(new ReplayError(name, line, $"{reason.CodeName}: {reason.Detail}"));
            }
        }
    }
}
