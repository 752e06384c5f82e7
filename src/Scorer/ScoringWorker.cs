using System.Diagnostics;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Models;
using Microsoft.Extensions.Options;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// The streaming loop on its own thread: consume a micro-batch, send bad input to the DLQ, score the rest with
/// the model of the moment, produce verdicts, wait for the broker to acknowledge every message, then commit. Three
/// batches overlap: while one is read, the one scored before has its reasons explained and its verdicts produced on
/// another thread (<see cref="VerdictPublisher"/>), and the one before that awaits its acknowledgements. Each is
/// committed, in order, once everything it produced is acknowledged: just before the next batch is scored, or as soon
/// as no message is waiting, and always before card state is snapshotted (so a snapshot is never ahead of a commit).
/// Any delivery failure stops the process without committing: a restart replays from the last commit
/// (at least once; verdicts are idempotent by transaction id downstream). Card state is kept per assigned
/// partition (<see cref="AssignedPartitions"/>): restored inside the assignment handler, before the partition is
/// fetched, and snapshotted after commits.
/// </summary>
internal sealed class ScoringWorker(
    IOptions<KafkaOptions> kafkaOptions,
    IOptions<ScorerOptions> scorerOptions,
    IOptions<StateOptions> stateOptions,
    IOptions<ModelStoreOptions> modelStoreOptions,
    IOptions<DriftOptions> driftOptions,
    IOptions<ValidationOptions> validationOptions,
    ModelHolder models,
    ShadowModels challengers,
    ScorerStatus status,
    IHostApplicationLifetime lifetime,
    ILogger<ScoringWorker> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(60);

    private readonly KafkaOptions _kafka = kafkaOptions.Value;
    private readonly ScorerOptions _options = scorerOptions.Value;
    private ScoringThread _loop = null!; // built in StartAsync
    private readonly UnseenValues _unseen = new();
    private readonly LagReporter _lag = new(scorerOptions.Value.LagIntervalSeconds);
    private readonly EntityFeatureSource? _entities = scorerOptions.Value.FeatureSpec().HasEntityFeatures
        ? new EntityFeatureSource(kafkaOptions.Value, scorerOptions.Value, scorerOptions.Value.FeatureSpec(), logger)
        : null;
    private readonly DriftReporter? _drift = driftOptions.Value.Enabled ? new DriftReporter(driftOptions.Value, kafkaOptions.Value.DriftTopic, logger) : null;
    private readonly ShadowScorer? _shadow = scorerOptions.Value.ShadowMaxRowsPerSecond > 0
        ? new ShadowScorer(challengers.Holder, scorerOptions.Value.ShadowMaxRowsPerSecond, kafkaOptions.Value.ShadowVerdictsTopic)
        : null;
    private BatchScorer _batch = null!; // built in StartAsync, before the loop's thread starts
    private MicroBatch _inFlight = NewMicroBatch(kafkaOptions.Value, scorerOptions.Value); // being read
    private MicroBatch _publishing = NewMicroBatch(kafkaOptions.Value, scorerOptions.Value); // scored, its verdicts being produced
    private MicroBatch _awaiting = NewMicroBatch(kafkaOptions.Value, scorerOptions.Value); // produced, not yet committed
    private long _oldestEventSinceSweep = long.MaxValue;
    private readonly StateOptions _state = stateOptions.Value;
    private readonly TransactionAdmission _admission = new(validationOptions.Value);
    private DeadLetterPublisher? _dlq;
    private VerdictPublisher? _publisher;
    private AssignedPartitions? _partitions;
    private FeatureLog? _featureLog;
    private IConsumer<byte[], byte[]>? _consumer;
    private IProducer<byte[], byte[]>? _producer;
    private bool _faulted;
    private long _nextCardSweep;
    private long _scored;
    private long _rejected;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The batch pipeline's entity features read the table the source keeps current.
        _batch = new BatchScorer(_options.MaxBatchSize, _options.FeatureSpec(), _entities?.Table)
        {
            ReasonsFor = _options.ReasonScope(),
            // Explained by the verdict publisher, off this loop's thread.
            DefersReasons = true,
        };
        _entities?.Start();
        // Past the drain, the loop can still be waiting for acknowledgements (of the batch awaiting its commit, of the one
        // being published, then of the one it was reading) and then flushing: wait that long.
        var drain = TimeSpan.FromSeconds(_options.DrainTimeoutSeconds);
        _loop = new ScoringThread("scorer-loop", Run, (3 * AckTimeout) + drain, logger);
        _loop.Start();
        return Task.CompletedTask;
    }

    /// <summary>Returns only once the loop has ended, so the host disposes nothing it still uses (see <see cref="ScoringThread"/>).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!await _loop.StopAsync(TimeSpan.FromSeconds(_options.DrainTimeoutSeconds)))
        {
            // The host disposes the models next; one the loop may still run stays alive until the process exits.
            models.LeaveToProcessExit();
        }
    }

    private void Run()
    {
        try
        {
            if (!WaitForModel())
            {
                return;
            }
            if (_entities is not null && !_entities.CatchUp(_loop.Stopping))
            {
                ScorerLog.EntityCatchUpTimedOut(logger, _options.EntityCatchUpSeconds);
            }
            RunWithCardState();
        }
        catch (Exception ex)
        {
            status.Faulted(ex);
            ScorerLog.LoopFaulted(logger, ex);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    /// <summary>The per-partition card state and what restores and stores it live as long as the loop.</summary>
    private void RunWithCardState()
    {
        using var snapshots = _state.Enabled ? SnapshotStore.Create(_state, modelStoreOptions.Value, _options.GroupId) : null;
        using var restorer = _state.Enabled ? new StateRestorer(_kafka, _options, _admission, snapshots, logger) : null;
        using var featureLog = _options.EmitFeatures is { Length: > 0 } path ? new FeatureLog(path) : null;
        _featureLog = featureLog;
        using var partitions = new AssignedPartitions(_state, _batch.ComputedSpec, _options.DuplicateWindow, restorer, snapshots, _kafka.TransactionsTopic, logger);
        _partitions = partitions;
        if (snapshots is not null)
        {
            ScorerLog.StateStore(logger, _state.SnapshotIntervalSeconds, snapshots.Describe(_kafka.TransactionsTopic, 0));
        }
        RunWithClients();
    }

    /// <summary>Consumes until stopped; on the way out flushes the producer and closes the consumer (which revokes, committing).</summary>
    private void RunWithClients()
    {
        var rebalance = new ScorerRebalance(_partitions!, status, FinishBatchInFlight, () => _faulted, _loop.Stopping, logger);
        using var producer = ScorerClients.Producer(_kafka, status, lifetime, logger);
        using var consumer = ScorerClients.Consumer(_kafka, _options, rebalance, logger);
        _producer = producer;
        _consumer = consumer;
        _dlq = new DeadLetterPublisher(producer, _kafka.DlqTopic, _options.DlqMaxMessageBytes);
        _publisher = new VerdictPublisher(producer, _kafka.VerdictsTopic);
        if (!RequiredTopics.WaitFor(consumer, [_kafka.TransactionsTopic], logger, status.MissingTopics, _loop.Stopping))
        {
            return;
        }
        consumer.Subscribe(_kafka.TransactionsTopic);
        ScorerLog.Consuming(logger, _kafka.TransactionsTopic, _options.GroupId, _kafka.VerdictsTopic, _kafka.DlqTopic);
        try
        {
            ConsumeUntilStopped();
            // Everything is committed: the last word on each partition's state before the consumer leaves.
            _partitions!.SnapshotAll();
        }
        catch
        {
            // Close() below runs the revoke handler, which must not complete (and commit) the failed batch.
            _faulted = true;
            throw;
        }
        finally
        {
            // After a failure a batch may still be producing: it ends before the producer does.
            _publisher.WaitQuietly();
            producer.Flush(TimeSpan.FromSeconds(_options.DrainTimeoutSeconds));
            consumer.Close();
        }
        ScorerLog.Drained(logger, _scored, _rejected);
    }

    private bool WaitForModel()
    {
        if (models.Current is not null)
        {
            return true;
        }
        ScorerLog.WaitingForModel(logger, _kafka.ModelsTopic, _options.ModelName);
        try
        {
            models.FirstModel.Wait(_loop.Stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void ConsumeUntilStopped()
    {
        var consumer = _consumer!;
        while (!_loop.Stopping.IsCancellationRequested)
        {
            if (_inFlight.IsEmpty && _partitions!.SnapshotDue)
            {
                // Nothing read, and everything scored committed: every partition's state is what its committed offset says.
                CommitAll();
                _partitions.SnapshotIfDue(_loop.Stopping);
            }
            if (BatchDue(out var timeout))
            {
                CompleteBatch();
                continue;
            }
            switch (TryConsume(consumer, _awaiting.IsEmpty && _publishing.IsEmpty ? timeout : TimeSpan.Zero))
            {
                case { IsPartitionEOF: false } result:
                    Accept(result);
                    if (_inFlight.Messages >= _batch.Capacity)
                    {
                        CompleteBatch();
                    }
                    break;
                case null:
                    // Nothing waiting to be read: the scored batches need not wait for the next one.
                    CommitAll();
                    break;
            }
            _lag.ReportIfDue(consumer);
            _drift?.ReportIfDue(_producer!);
            SweepIdleCardsPeriodically();
        }
        // Stopping: the batch being read and those scored before it are produced, acknowledged and committed before the
        // consumer closes.
        FinishBatchInFlight();
    }

    /// <summary>The batch being read and those scored before it, all finished and committed: on stopping and on revocation.</summary>
    private void FinishBatchInFlight()
    {
        if (!_inFlight.IsEmpty)
        {
            CompleteBatch();
        }
        CommitAll();
    }

    /// <summary>Every batch scored so far produced, acknowledged and committed, in order.</summary>
    private void CommitAll()
    {
        CommitAwaiting();
        FinishPublishing();
        CommitAwaiting();
    }

    /// <summary>True when the batch in flight has waited its longest; otherwise how long the next poll may block.</summary>
    private bool BatchDue(out TimeSpan timeout)
    {
        timeout = IdlePoll;
        if (_inFlight.IsEmpty)
        {
            return false;
        }
        timeout = TimeSpan.FromMilliseconds(_options.MaxBatchWaitMs) - _inFlight.Age;
        return timeout <= TimeSpan.Zero;
    }

    private ConsumeResult<byte[], byte[]>? TryConsume(IConsumer<byte[], byte[]> consumer, TimeSpan timeout)
    {
        try
        {
            return consumer.Consume(timeout);
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            ScorerLog.KafkaError(logger, "consumer", ex.Error.Reason);
            return null;
        }
    }

    private void Accept(ConsumeResult<byte[], byte[]> result)
    {
        _inFlight.Read(result);
        var partition = _partitions!.For(result.Partition.Value);
        partition.NextOffset = result.Offset.Value + 1;
        var message = result.Message;
        if (_admission.TryAdmit(result, partition.Ids, out var transaction, out var reason))
        {
            var published = message.Timestamp.Type == TimestampType.NotAvailable
                ? DateTimeOffset.UtcNow
                : DateTimeOffset.FromUnixTimeMilliseconds(message.Timestamp.UnixTimestampMs);
            _inFlight.Admitted(_batch.Count, message);
            _batch.Add(transaction, published, partition.Cards);
        }
        else
        {
            _dlq!.Publish(result, reason, _inFlight.Deliveries);
            _rejected++;
        }
    }

    /// <summary>
    /// Commits the batch produced two batches ago (once acknowledged), lets the one scored before finish producing (it
    /// then awaits its commit), then scores this one and hands its verdicts to the publisher while the next is read.
    /// </summary>
    private void CompleteBatch()
    {
        CommitAwaiting();
        FinishPublishing();
        // Models replaced meanwhile are disposed here: no batch is being published with one.
        var model = models.AcquireForBatch() ?? throw new InvalidOperationException("no model to score with");
        PrepareEntities();
        _scored += ScoreAndPublish(model);
        (_publishing, _inFlight) = (_inFlight, _publishing);
        _batch.Clear();
    }

    /// <summary>The batch being published, produced: it now awaits its acknowledgements and commit.</summary>
    private void FinishPublishing()
    {
        if (_publishing.IsEmpty)
        {
            return;
        }
        Debug.Assert(_awaiting.IsEmpty, "the batch before is committed first");
        _publisher!.Finish();
        (_awaiting, _publishing) = (_publishing, _awaiting);
    }

    /// <summary>Waits for every acknowledgement of the produced batch and commits its offsets; nothing when there is none.</summary>
    private void CommitAwaiting()
    {
        if (_awaiting.IsEmpty)
        {
            return;
        }
        WaitForAcknowledgements(_awaiting.Deliveries);
        Commit(_awaiting.Offsets);
        ScorerMetrics.ProcessingSeconds.Observe(_awaiting.Age.TotalSeconds);
        ScorerMetrics.BatchSize.Observe(_awaiting.Messages);
        _awaiting.Clear();
    }

    /// <summary>
    /// Scores the batch and hands the champion's verdicts to the publisher (reasons and producing on its thread), then
    /// counts drift and unseen values and produces the challenger's verdicts meanwhile; returns the verdicts scored.
    /// </summary>
    private int ScoreAndPublish(LoadedModel model)
    {
        // The batch's span covers scoring, producing, acknowledgements and the commit.
        _inFlight.Tracing.StartProcess(_batch.Count, model.Version);
        var scored = _batch.Decide(model, DateTimeOffset.UtcNow);
        if (scored > 0)
        {
            _inFlight.Verdicts.Capture(_batch, model);
            _publisher!.Start(_inFlight);
        }
        _drift?.Observe(model, _batch);
        ScorerMetrics.EntityStale.Inc(_batch.StaleEntityFeatures);
        _unseen.Record(_batch, model, (field, value, row) =>
            ScorerLog.UnseenValue(logger, field, value, _batch.TransactionAt(row).TransactionId.Text!, model.Version));

        // The challenger's verdicts, best effort: they never decide and never fail the batch.
        _shadow?.ScoreAndPublish(_batch, model, _producer!, i => VerdictPublisher.KeyFor(_batch.TransactionAt(i).CardId, _inFlight.KeyAt(i)));
        _featureLog?.Write(_batch);
        return scored;
    }

    /// <summary>Every message of a batch acknowledged (oversized dead letters replaced and waited for again), or the loop stops.</summary>
    private void WaitForAcknowledgements(DeliveryTracker deliveries)
    {
        do
        {
            if (!deliveries.WaitAll(AckTimeout))
            {
                throw new KafkaDeliveryFailedException($"{deliveries.Pending} messages not acknowledged within {AckTimeout.TotalSeconds} s");
            }
        }
        while (_dlq!.ReplaceOversized(deliveries));
    }

    private void Commit(OffsetTracker batch)
    {
        try
        {
            var offsets = batch.ToCommit();
            _consumer!.Commit(offsets);
            _partitions!.Committed(offsets);
        }
        catch (KafkaException ex) when (!ex.Error.IsFatal)
        {
            // Everything is delivered; a failed commit (e.g. partitions lost in a rebalance) only means a replay.
            ScorerLog.KafkaError(logger, "commit", ex.Error.Reason);
        }
    }

    /// <summary>Makes sure the entity days the batch reads are closed, or caps them at the newest complete day.</summary>
    private void PrepareEntities()
    {
        if (_entities is null || _batch.Count == 0)
        {
            return;
        }
        var table = _entities.Table;
        _batch.EntityDaysCap = _entities.Prepare(table.LastDayReadBy(_batch.BatchNewestEventMs), table.OldestDayReadBy(_batch.BatchOldestEventMs), _loop.Stopping);
        _oldestEventSinceSweep = Math.Min(_oldestEventSinceSweep, _batch.BatchOldestEventMs);
    }

    private static MicroBatch NewMicroBatch(KafkaOptions kafka, ScorerOptions options) =>
        new(options.MaxBatchSize, new BatchTracing(options.MaxBatchSize, kafka.TransactionsTopic, kafka.VerdictsTopic, options.GroupId));

    /// <summary>Drops idle cards from memory now and then, off the per-event path; features are unaffected (<see cref="BatchScorer.ExpireIdleCards"/>).</summary>
    private void SweepIdleCardsPeriodically()
    {
        var now = Stopwatch.GetTimestamp();
        if (now < _nextCardSweep)
        {
            return;
        }
        _nextCardSweep = now + (Stopwatch.Frequency * _options.CardSweepIntervalSeconds);
        // The cards live in the per-partition stores; the batch scorer's own store stays empty in this mode.
        var cutoff = _batch.IdleCutoffMs(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), _options.CardSweepLatenessHours * 3_600_000L);
        var expired = cutoff is { } ms ? _partitions!.ExpireIdle(ms) : 0;
        ScorerMetrics.CardsExpired.Inc(expired);
        if (_entities is not null && _oldestEventSinceSweep != long.MaxValue)
        {
            // A week of slack: a partition that lags the newest batches by less still finds the days it reads.
            _entities.DropBefore(_entities.Table.OldestDayReadBy(_oldestEventSinceSweep) - 7);
            _oldestEventSinceSweep = long.MaxValue;
        }
        ScorerMetrics.CardsActive.Set(_partitions!.CardCount);
        ScorerMetrics.CardStateBytes.Set(_partitions.MemoryBytes);
    }

    public void Dispose()
    {
        if (_loop is null || _loop.HasEnded)
        {
            _entities?.Dispose();
        }
        _loop?.Dispose();
    }
}
