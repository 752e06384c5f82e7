using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Models;
using Microsoft.Extensions.Options;

namespace Fraud.Streaming.Monitoring.Retraining;

/// <summary>
/// Raises a retrain request: recorded in Postgres (where the trainer looks, at most one open per model), then announced
/// on the retrain-requests topic. The announcement is best effort: the row is the request.
/// </summary>
internal sealed class RetrainRequester(
    RetrainRequestStore store,
    IOptions<KafkaOptions> kafkaOptions,
    IOptions<RetrainOptions> retrainOptions,
    ILogger<RetrainRequester> logger) : IDisposable
{
    private static readonly TimeSpan AnnounceTimeout = TimeSpan.FromSeconds(10);
    private readonly Lazy<IProducer<string, byte[]>> _producer = new(() => new ProducerBuilder<string, byte[]>(new ProducerConfig
    {
        ClientId = "fraud-monitoring-retrain",
        EnableIdempotence = true,
        Acks = Acks.All,
        MessageTimeoutMs = (int)AnnounceTimeout.TotalMilliseconds,
    }.ForCluster(kafkaOptions.Value)).LogTo(logger).SetErrorHandler((_, error) => MonitoringLog.KafkaError(logger, error.Code.ToString(), error.Reason)).Build());

    /// <returns>the raised request; null when one is already open (or cooling down) for the model.</returns>
    public async Task<RetrainRequestRow?> RaiseAsync(string modelVersion, string trigger, string reason, CancellationToken cancellationToken)
    {
        var options = retrainOptions.Value;
        var row = await store.RaiseAsync(options.ModelName, modelVersion, trigger, reason, TimeSpan.FromMinutes(options.CooldownMinutes), cancellationToken);
        if (row is null)
        {
            return null;
        }
        MonitoringMetrics.RetrainRequests.WithLabels(trigger).Inc();
        MonitoringMetrics.RetrainRequestOpen.Set(1);
        MonitoringLog.RetrainRequested(logger, row.Id, options.ModelName, modelVersion, trigger, reason);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(AnnounceTimeout);
            await _producer.Value.ProduceAsync(kafkaOptions.Value.RetrainRequestsTopic,
                new Message<string, byte[]> { Key = options.ModelName, Value = ContractJson.Serialize(row.ToContract()) }, timeout.Token);
        }
        catch (Exception ex) when (ex is KafkaException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            MonitoringLog.RetrainAnnounceFailed(logger, row.Id, kafkaOptions.Value.RetrainRequestsTopic, ex);
        }
        return row;
    }

    /// <summary>Whether a request is open for the model now (the trainer closes them), for the gauge.</summary>
    public async Task RefreshOpenAsync(CancellationToken cancellationToken) =>
        MonitoringMetrics.RetrainRequestOpen.Set((await store.OpenAsync(retrainOptions.Value.ModelName, cancellationToken)).Count > 0 ? 1 : 0);

    public void Dispose()
    {
        if (_producer.IsValueCreated)
        {
            _producer.Value.Flush(TimeSpan.FromSeconds(2));
            _producer.Value.Dispose();
        }
    }
}
