using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.DataSets.Replay;

/// <summary>
/// Reads a dataset in the chosen format, counting and reporting malformed rows (or failing at the first). Every record
/// is held to the contract the consumers apply (<see cref="TransactionValidator"/>, <see cref="LabelValidator"/>), so a
/// row they would dead-letter is reported here, with its reason, and not published.
/// </summary>
public sealed class ReplaySource(ReplaySettings settings, Action<ReplayError>? report = null)
{
    private readonly EventTimeWindow _window = EventTimeWindow.Now(settings.MaxFutureSkew);

    private const int MaxReported = 100;

    public long Malformed { get; private set; }

    public IEnumerable<ReplayRecord> Records()
    {
        var records = settings.Format switch
        {
            ReplayFormat.IeeeCis => IeeeCisSource.Read(settings, OnError),
            ReplayFormat.PaySim => PaySimSource.Read(settings, OnError),
            ReplayFormat.Csv => CsvSource.Read(settings, OnError),
            _ => JsonlSource.Read(settings, OnError),
        };
        long count = 0;
        long index = 0;
        foreach (var record in records)
        {
            index++;
            if (!TransactionValidator.Validate(record.Transaction, _window, out var reason)
                || (record.Label is { } label && !LabelValidator.Validate(label, _window, out reason)))
            {
                OnError(new ReplayError(Path.GetFileName(settings.Input), index, $"record {index} ({record.Transaction.TransactionId}): {reason.CodeName}: {reason.Detail}"));
                continue;
            }
            yield return record;
            if (settings.Limit > 0 && ++count >= settings.Limit)
            {
                yield break;
            }
        }
    }

    private void OnError(ReplayError error)
    {
        Malformed++;
        if (settings.FailOnError)
        {
            throw new ReplayFailedException(error);
        }
        if (Malformed <= MaxReported)
        {
            report?.Invoke(error);
        }
    }
}
