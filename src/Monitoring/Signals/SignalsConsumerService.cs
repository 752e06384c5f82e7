using System.Diagnostics;
using Confluent.Kafka;
using Fraud.Streaming.Monitoring.Drift;
using Fraud.Streaming.Monitoring.History;
using Fraud.Streaming.Monitoring.Retraining;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fraud.Streaming.Monitoring.Signals;

/// <summary>
/// Reads what the scorers report beside the verdicts, in a consumer group of its own (<c>{GroupId}.signals</c>): drift
/// reports (written by <see cref="DriftStore"/>, then checked against the retrain limits) and the challenger's shadow
/// verdicts (written in batches). Offsets are committed only after the writes; a failed write is retried, so nothing is
/// lost and the idempotent writes absorb replays. A message the contract refuses (a shadow verdict that fails
/// <see cref="VerdictValidator"/> in the message's event-time window, a drift report that does not parse) goes to the
/// dead_letters table with its reason, and is counted.
/// </summary>
internal sealed class SignalsConsumerService(
    IOptions<KafkaOptions> kafkaOptions,
    IOptions<MonitoringOptions> monitoringOptions,
    IOptions<ValidationOptions> validationOptions,
    HistoryWriter history,
    DriftStore drift,
    ShadowVerdictWriter shadow,
    RetrainPolicy retrain,
    ILogger<SignalsConsumerService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);
    private readonly KafkaOptions _kafka = kafkaOptions.Value;
    private readonly MonitoringOptions _options = monitoringOptions.Value;
    private readonly OffsetTracker _offsets = new();
    private readonly List<DriftReport> _reports = [];
    private readonly List<Verdict> _verdicts = [];
    private readonly List<HistoryMessage> _refused = [];

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        var config = HistoryConsumerService.ConsumerConfigFor(_kafka, _options);
        config.GroupId = $"{_options.GroupId}.signals";
        config.ClientId = "fraud-monitoring-signals";
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config)
            .SetPartitionsRevokedHandler((c, partitions) =>
            {
                using (var budget = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    budget.CancelAfter(TimeSpan.FromSeconds(10));
                    WriteAndCommit(c, budget.Token);
                }
                _offsets.Forget(partitions.Select(p => p.TopicPartition));
            })
            .SetPartitionsLostHandler((_, partitions) => _offsets.Forget(partitions.Select(p => p.TopicPartition)))
            .LogTo(logger)
            .SetErrorHandler((_, error) => MonitoringLog.KafkaError(logger, error.Code.ToString(), error.Reason))
            .Build();
        if (!RequiredTopics.WaitFor(consumer, [_kafka.DriftTopic, _kafka.ShadowVerdictsTopic], logger, _ => { }, stoppingToken))
        {
            return;
        }
        consumer.Subscribe([_kafka.DriftTopic, _kafka.ShadowVerdictsTopic]);
        var flushTicks = (long)(_options.FlushInterval.TotalSeconds * Stopwatch.Frequency);
        var started = 0L;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(50)) is { IsPartitionEOF: false, Message: not null } result)
                {
                    started = _offsets.HasPending ? started : Stopwatch.GetTimestamp();
                    Add(result);
                }
            }
            catch (ConsumeException ex) when (!ex.Error.IsFatal)
            {
                MonitoringLog.KafkaError(logger, ex.Error.Code.ToString(), ex.Error.Reason);
            }
            if (_offsets.HasPending && (_verdicts.Count >= _options.BatchSize || Stopwatch.GetTimestamp() - started >= flushTicks))
            {
                WriteAndCommit(consumer, stoppingToken);
            }
        }
        using (var budget = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            WriteAndCommit(consumer, budget.Token);
        }
        consumer.Close();
    }

    private void Add(ConsumeResult<byte[], byte[]> result)
    {
        _offsets.Consumed(result.TopicPartitionOffset);
        MonitoringMetrics.MessagesConsumed.WithLabels(result.Topic).Inc();
        var value = result.Message.Value ?? [];
        if (result.Topic == _kafka.ShadowVerdictsTopic)
        {
            if (VerdictValidator.TryParse(value, MessageContract.WindowOf(result.Message, validationOptions.Value), out var verdict, out var reason))
            {
                _verdicts.Add(verdict);
                return;
            }
            Reject(result, reason.CodeName, reason.Detail);
            return;
        }
        try
        {
            _reports.Add(ContractJson.DeserializeDriftReport(value));
        }
        catch (System.Text.Json.JsonException ex)
        {
            Reject(result, "bad_json", ex.Message);
        }
    }

    private void Reject(ConsumeResult<byte[], byte[]> result, string reason, string detail)
    {
        var source = new SourcePosition(result.Topic, result.Partition.Value, result.Offset.Value);
        MonitoringMetrics.Rejected.WithLabels(result.Topic, reason).Inc();
        MonitoringLog.DeadLettered(logger, source.ToString(), reason, detail);
        _refused.Add(new HistoryMessage { Source = source, Payload = result.Message.Value, Refused = new DeadLetter(source, reason, detail, result.Message.Value) });
    }

    /// <summary>Writes what is pending, retrying until it is written or <paramref name="giveUp"/> fires, then commits.</summary>
    private void WriteAndCommit(IConsumer<byte[], byte[]> consumer, CancellationToken giveUp)
    {
        if (!_offsets.HasPending)
        {
            return;
        }
        var delay = TimeSpan.FromMilliseconds(200);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                WriteAsync(giveUp).GetAwaiter().GetResult();
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                MonitoringMetrics.WriteFailures.Inc();
                MonitoringLog.SignalsWriteFailed(logger, attempt, delay, ex);
                if (giveUp.IsCancellationRequested || giveUp.WaitHandle.WaitOne(delay))
                {
                    return;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        try
        {
            consumer.Commit(_offsets.ToCommit());
        }
        catch (KafkaException ex)
        {
            MonitoringMetrics.CommitFailures.Inc();
            MonitoringLog.CommitFailed(logger, ex.Error.Reason);
        }
        _offsets.Clear();
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        if (_refused.Count > 0)
        {
            history.Write(HistoryRows.From(_refused));
            _refused.Clear();
        }
        await shadow.WriteAsync(_verdicts, cancellationToken);
        _verdicts.Clear();
        while (_reports.Count > 0)
        {
            var report = _reports[0];
            await drift.WriteAsync(report, cancellationToken);
            _reports.RemoveAt(0);
            await retrain.OnDriftAsync(report, cancellationToken);
        }
    }
}
