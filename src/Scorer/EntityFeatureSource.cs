using System.Collections.Concurrent;
using System.Diagnostics;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Features.Entities;
using Fraud.Streaming.Shared.Kafka;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// The merchant and device totals every scorer reads: the entity totals topic followed from its beginning on a thread
/// of its own (<see cref="TopicFollower"/>), its records queued and applied to the table by the scoring loop between
/// batches, so a batch reads one fixed state. Before a batch it makes sure the days its transactions read are closed
/// in every partition, waiting a bounded time for the aggregator when they are not (<see cref="Prepare"/>).
/// </summary>
internal sealed class EntityFeatureSource : IDisposable
{
    private readonly ConcurrentQueue<(byte[] Key, byte[]? Value)> _queue = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly EntityTableFeed _feed;
    private readonly TopicFollower _follower;
    private readonly ScorerOptions _options;
    private readonly ILogger _logger;
    private bool _degraded;
    private int _droppedBefore = int.MinValue;
    private string? _mismatchLogged;

    public EntityFeatureSource(KafkaOptions kafka, ScorerOptions options, FeatureSpec spec, ILogger logger)
    {
        _options = options;
        _logger = logger;
        Table = spec.NewEntityTable();
        _feed = new EntityTableFeed(Table, spec.ReportHorizonDays);
        _follower = new TopicFollower(kafka, kafka.EntityTotalsTopic, "fraud-scorer-entities", logger, r =>
        {
            _queue.Enqueue((r.Message.Key ?? [], r.Message.Value));
            _arrived.Release();
        });
    }

    public EntityTable Table { get; }

    /// <summary>The newest day closed in every partition, as applied so far; null when unknown.</summary>
    public int? CompleteThrough => _feed.CompleteThrough(Partitions);

    /// <summary>True after a batch had to read older days than its own, until the aggregator catches up.</summary>
    public bool Degraded => _degraded;

    private int Partitions => _feed.Watermarks.Count == 0 ? 0 : _feed.Watermarks.Values.Max(w => w.Partitions);

    public void Start() => _follower.Start();

    /// <summary>Waits (bounded) for the topic to be read to its end once, applying what arrives; false on timeout.</summary>
    public bool CatchUp(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(_options.EntityCatchUpSeconds * (double)Stopwatch.Frequency);
        while (!_follower.CaughtUp.IsCompleted && Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
        {
            _arrived.Wait(TimeSpan.FromMilliseconds(100), cancellationToken);
            Apply();
        }
        Apply();
        return _follower.CaughtUp.IsCompletedSuccessfully;
    }

    /// <summary>Applies every record that arrived since the last call. Scoring thread only.</summary>
    public void Apply()
    {
        while (_queue.TryDequeue(out var record))
        {
            try
            {
                _feed.Apply(record.Key, record.Value);
                ScorerMetrics.EntityRecords.Inc();
            }
            catch (InvalidDataException ex)
            {
                ScorerMetrics.EntityRecordsRejected.Inc();
                ScorerLog.BadEntityRecord(_logger, System.Text.Encoding.ASCII.GetString(record.Key), ex.Message);
            }
        }
        if (_feed.Mismatch is { } mismatch && mismatch != _mismatchLogged)
        {
            _mismatchLogged = mismatch;
            ScorerLog.EntityTotalsMismatch(_logger, mismatch);
        }
    }

    /// <summary>
    /// Gets the table ready for transactions whose entity features read up to day <paramref name="neededThrough"/>:
    /// applies what arrived and, while that day is not closed everywhere, waits for it (at most
    /// <see cref="ScorerOptions.EntityMaxWaitMs"/>, and not at all while <see cref="Degraded"/>).
    /// </summary>
    /// <returns>null when every day the batch reads is complete; otherwise the newest complete day to read up to
    /// (<see cref="int.MinValue"/>: none), for <see cref="BatchScorer.EntityDaysCap"/>.</returns>
    /// <param name="oldestRead">the oldest day the batch reads: counted when it was already dropped.</param>
    public int? Prepare(int neededThrough, int oldestRead, CancellationToken cancellationToken)
    {
        Apply();
        if (oldestRead < _droppedBefore)
        {
            ScorerMetrics.EntityBeyondRetained.Inc();
        }
        if (CompleteThrough >= neededThrough)
        {
            return Caught();
        }
        if (!_degraded && _options.EntityMaxWaitMs > 0)
        {
            var started = Stopwatch.GetTimestamp();
            var deadline = started + (long)(_options.EntityMaxWaitMs * (double)Stopwatch.Frequency / 1000);
            while (Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
            {
                var left = TimeSpan.FromTicks((long)((deadline - Stopwatch.GetTimestamp()) * (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency));
                if (left > TimeSpan.Zero && _arrived.Wait(left > TimeSpan.FromMilliseconds(50) ? TimeSpan.FromMilliseconds(50) : left, cancellationToken))
                {
                    Apply();
                    if (CompleteThrough >= neededThrough)
                    {
                        ScorerMetrics.EntityWaitSeconds.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
                        return Caught();
                    }
                }
            }
            ScorerMetrics.EntityWaitSeconds.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            _degraded = true;
            ScorerLog.EntityTotalsBehind(_logger, neededThrough, CompleteThrough?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none");
        }
        ScorerMetrics.EntityDegraded.Set(1);
        return CompleteThrough ?? int.MinValue;
    }

    /// <summary>Drops the days before <paramref name="before"/> (between batches, now and then).</summary>
    public void DropBefore(int before)
    {
        if (before > _droppedBefore)
        {
            _feed.DropBefore(before);
            _droppedBefore = before;
        }
        ScorerMetrics.EntityEntities.WithLabels("merchant").Set(Table.MerchantCount);
        ScorerMetrics.EntityEntities.WithLabels("device").Set(Table.DeviceCount);
        if (CompleteThrough is { } complete)
        {
            ScorerMetrics.EntityCompleteSeconds.Set((complete + 1L) * (EntityFeatures.MsPerDay / 1000));
        }
    }

    private int? Caught()
    {
        if (_degraded)
        {
            _degraded = false;
            ScorerLog.EntityTotalsCaughtUp(_logger, CompleteThrough ?? int.MinValue);
        }
        ScorerMetrics.EntityDegraded.Set(0);
        return null;
    }

    public void Dispose()
    {
        _follower.Dispose();
        _arrived.Dispose();
    }
}
