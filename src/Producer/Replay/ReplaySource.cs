namespace Fraud.Streaming.Producer.Replay;

/// <summary>Reads a dataset in the chosen format, counting and reporting malformed rows (or failing at the first).</summary>
internal sealed class ReplaySource(ReplaySettings settings, Action<ReplayError>? report = null)
{
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
        foreach (var record in records)
        {
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
