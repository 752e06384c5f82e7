using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Microsoft.Extensions.Options;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// Follows the compacted models topic from the beginning on its own thread (manual assignment, no group
/// offsets) and hands the newest announcement for our model name to the <see cref="ModelUpdater"/>.
/// A backlog of announcements collapses to its last one: only the latest is loaded.
/// </summary>
internal sealed class ModelWatcher(
    IOptions<KafkaOptions> kafkaOptions,
    IOptions<ScorerOptions> scorerOptions,
    ModelUpdater updater,
    ShadowModels challengers,
    ScorerStatus status,
    ILogger<ModelWatcher> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private readonly KafkaOptions _kafka = kafkaOptions.Value;
    private readonly ScorerOptions _options = scorerOptions.Value;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(_options.InitialModel))
        {
            // A configured model that cannot serve is a deployment error: refuse to start.
            updater.LoadInitial(_options.InitialModel);
        }
        new Thread(Run) { IsBackground = true, Name = "scorer-models" }.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAny(_finished.Task, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken));
    }

    private void Run()
    {
        try
        {
            using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
            {
                BootstrapServers = _kafka.BootstrapServers,
                ClientId = "fraud-scorer-models",
                // Never used for commits; librdkafka wants one all the same.
                GroupId = $"{_options.GroupId}.models.{Guid.NewGuid():N}",
                EnableAutoCommit = false,
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnablePartitionEof = true,
                AllowAutoCreateTopics = true,
            })
            .SetErrorHandler((_, error) => ScorerLog.KafkaError(logger, "models consumer", error.Reason))
            .Build();
            if (!AssignAll(consumer))
            {
                return;
            }
            Follow(consumer);
            consumer.Close();
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            ScorerLog.WatcherFailed(logger, ex);
            status.Faulted(ex);
        }
        finally
        {
            _finished.TrySetResult();
        }
    }

    private bool AssignAll(IConsumer<byte[], byte[]> consumer)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                var topic = admin.GetMetadata(_kafka.ModelsTopic, TimeSpan.FromSeconds(5)).Topics.Find(t => t.Topic == _kafka.ModelsTopic);
                if (topic is not null && !topic.Error.IsError && topic.Partitions.Count > 0)
                {
                    var partitions = new List<TopicPartitionOffset>(topic.Partitions.Count);
                    foreach (var partition in topic.Partitions)
                    {
                        partitions.Add(new TopicPartitionOffset(_kafka.ModelsTopic, partition.PartitionId, Offset.Beginning));
                    }
                    consumer.Assign(partitions);
                    ScorerLog.FollowingModels(logger, _kafka.ModelsTopic, partitions.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), _options.ModelName);
                    return true;
                }
            }
            catch (KafkaException ex)
            {
                ScorerLog.KafkaError(logger, "models metadata", ex.Error.Reason);
            }
            _stopping.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
        }
        return false;
    }

    private void Follow(IConsumer<byte[], byte[]> consumer)
    {
        ModelManifest? latest = null;
        // The challenger's key: its newest announcement, or its tombstone (null) when the challenge ended.
        (bool Seen, ModelManifest? Manifest) challenger = (false, null);
        while (!_stopping.IsCancellationRequested)
        {
            ConsumeResult<byte[], byte[]>? result;
            try
            {
                result = consumer.Consume(Poll);
            }
            catch (ConsumeException ex) when (!ex.Error.IsFatal)
            {
                ScorerLog.KafkaError(logger, "models consumer", ex.Error.Reason);
                continue;
            }

            if (result is null || result.IsPartitionEOF)
            {
                // Caught up (for now): load the newest announcement seen.
                if (latest is not null)
                {
                    updater.OfferAsync(latest, _stopping.Token).GetAwaiter().GetResult();
                    latest = null;
                }
                if (challenger.Seen)
                {
                    OfferChallenger(challenger.Manifest);
                    challenger = (false, null);
                }
                continue;
            }
            if (IsChallengerKey(result.Message.Key))
            {
                challenger = (true, result.Message.Value is null ? null : ParseManifest(result));
                continue;
            }
            latest = Parse(result) ?? latest;
        }
    }

    private bool IsChallengerKey(byte[]? key) =>
        key is not null && Encoding.UTF8.GetString(key).Equals(ModelAnnouncer.ChallengerKey(_options.ModelName), StringComparison.Ordinal);

    private void OfferChallenger(ModelManifest? manifest)
    {
        if (manifest is null || manifest.ModelName != _options.ModelName)
        {
            challengers.Updater.Withdraw();
            return;
        }
        challengers.Updater.OfferAsync(manifest, _stopping.Token).GetAwaiter().GetResult();
    }

    private ModelManifest? Parse(ConsumeResult<byte[], byte[]> result)
    {
        var key = result.Message.Key;
        if (result.Message.Value is null || (key is not null && !Encoding.UTF8.GetString(key).Equals(_options.ModelName, StringComparison.Ordinal)))
        {
            return null; // a tombstone, or another model's announcement
        }
        var manifest = ParseManifest(result);
        return manifest?.ModelName == _options.ModelName ? manifest : null;
    }

    private ModelManifest? ParseManifest(ConsumeResult<byte[], byte[]> result)
    {
        try
        {
            return ContractJson.DeserializeManifest(result.Message.Value);
        }
        catch (JsonException ex)
        {
            ScorerLog.BadAnnouncement(logger, result.TopicPartitionOffset.ToString(), ex.Message);
            ScorerMetrics.ModelRejected.WithLabels(ModelRejectedException.BadManifest).Inc();
            return null;
        }
    }

    public void Dispose() => _stopping.Dispose();
}
