using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Trust;
using Microsoft.Extensions.Options;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// Follows the compacted models topic from the beginning on its own thread (manual assignment, no group offsets) and
/// hands the newest trustworthy announcement for our model name to the <see cref="ModelUpdater"/>. An announcement is
/// trustworthy when its signature verifies against a trusted key (<see cref="TrustedKeys"/>) and its manifest passes
/// the contract (<see cref="ManifestValidator"/>); anything else is refused with a reason and a metric before a byte of
/// it is used. When the newest one cannot be loaded, the one before it is tried, so a bad announcement — also the newest
/// one at a restart — leaves the last good model serving. Nothing an announcement holds stops the watcher: a failure of
/// the consumer itself restarts it after a pause.
/// </summary>
internal sealed class ModelWatcher(
    IOptions<KafkaOptions> kafkaOptions,
    IOptions<ScorerOptions> scorerOptions,
    IOptions<ValidationOptions> validationOptions,
    TrustedKeys trust,
    ModelUpdater updater,
    ShadowModels challengers,
    ILogger<ModelWatcher> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RestartPause = TimeSpan.FromSeconds(5);
    private readonly KafkaOptions _kafka = kafkaOptions.Value;
    private readonly ScorerOptions _options = scorerOptions.Value;
    private readonly ValidationOptions _validation = validationOptions.Value;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (trust.AllowUnsigned)
        {
            ScorerLog.InsecureTrust(logger, _kafka.ModelsTopic, trust.Count);
        }
        else if (trust.Count == 0)
        {
            ScorerLog.NoTrustedKeys(logger, _kafka.ModelsTopic);
        }
        else
        {
            ScorerLog.TrustedKeys(logger, string.Join(", ", trust.KeyIds));
        }
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
            while (!_stopping.IsCancellationRequested)
            {
                try
                {
                    FollowOnce();
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                }
                catch (Exception ex)
                {
                    // The serving model stays; the topic is read again from the beginning after a pause.
                    ScorerLog.WatcherFailed(logger, ex);
                    _stopping.Token.WaitHandle.WaitOne(RestartPause);
                }
            }
        }
        finally
        {
            _finished.TrySetResult();
        }
    }

    private void FollowOnce()
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            ClientId = "fraud-scorer-models",
            // Never used for commits; librdkafka wants one all the same.
            GroupId = $"{_options.GroupId}.models.{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnablePartitionEof = true,
            AllowAutoCreateTopics = false,
        }.ForCluster(_kafka))
        .LogTo(logger)
        .SetErrorHandler((_, error) => ScorerLog.KafkaError(logger, "models consumer", error.Reason))
        .Build();
        if (AssignAll(consumer))
        {
            Follow(consumer);
        }
        consumer.Close();
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
                    ScorerLog.FollowingModels(logger, _kafka.ModelsTopic, partitions.Count.ToString(CultureInfo.InvariantCulture), _options.ModelName);
                    return true;
                }
            }
            catch (KafkaException ex)
            {
                ScorerLog.KafkaError(logger, "models consumer", ex.Error.Reason);
            }
            _stopping.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
        }
        return false;
    }

    private void Follow(IConsumer<byte[], byte[]> consumer)
    {
        var candidates = new AnnouncementCandidates();
        var changed = false;
        // The challenger's key: its newest trustworthy announcement, or its tombstone (null) when the challenge ended.
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
                // Caught up (for now): serve the newest announcement that loads.
                if (changed)
                {
                    OfferNewest(candidates);
                    changed = false;
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
                challenger = AcceptChallenger(result) is { Seen: true } accepted ? accepted : challenger;
                continue;
            }
            if (Accept(result) is { } manifest)
            {
                candidates.Add(manifest);
                changed = true;
            }
        }
    }

    private bool IsChallengerKey(byte[]? key) =>
        key is not null && Encoding.UTF8.GetString(key).Equals(ModelTopicKeys.Challenger(_options.ModelName), StringComparison.Ordinal);

    private void OfferChallenger(ModelManifest? manifest)
    {
        if (manifest is null)
        {
            challengers.Updater.Withdraw();
            return;
        }
        challengers.Updater.OfferAsync(manifest, _stopping.Token).GetAwaiter().GetResult();
    }

    /// <summary>
    /// A message under the challenger's key: (true, manifest) for a trustworthy announcement, (true, null) for a
    /// trustworthy tombstone, (false, null) for anything refused (which leaves the shadow as it was).
    /// </summary>
    private (bool Seen, ModelManifest? Manifest) AcceptChallenger(ConsumeResult<byte[], byte[]> result)
    {
        if (!IsTrusted(result))
        {
            return (false, null);
        }
        return result.Message.Value is null ? (true, null) : (AcceptManifest(result) is { } manifest ? (true, manifest) : (false, null));
    }

    /// <summary>Tries the announcements newest first until one serves (or the one serving is reached).</summary>
    private void OfferNewest(AnnouncementCandidates candidates)
    {
        foreach (var manifest in candidates.NewestFirst())
        {
            if (manifest.Version == updater.Holder.CurrentVersion)
            {
                return;
            }
            if (updater.OfferAsync(manifest, _stopping.Token).GetAwaiter().GetResult())
            {
                return;
            }
            // Refused (the updater said why): not tried again; a new announcement is a new message.
            candidates.Remove(manifest);
        }
    }

    /// <summary>The manifest of a trustworthy announcement for our model, or null (another model's, a tombstone, or refused).</summary>
    private ModelManifest? Accept(ConsumeResult<byte[], byte[]> result)
    {
        var message = result.Message;
        if (message.Value is null || message.Key is null || !Encoding.UTF8.GetBytes(_options.ModelName).AsSpan().SequenceEqual(message.Key))
        {
            return null; // a tombstone, or another model's announcement
        }
        return IsTrusted(result) ? AcceptManifest(result) : null;
    }

    private bool IsTrusted(ConsumeResult<byte[], byte[]> result)
    {
        var check = trust.Check(result.Message.Value, result.Message.Headers);
        if (check is SignatureCheck.Trusted or SignatureCheck.AllowedUnsigned)
        {
            return true;
        }
        Refuse(result.TopicPartitionOffset.ToString(), TrustedKeys.CodeOf(check), check switch
        {
            SignatureCheck.Unsigned => "not signed, and this scorer obeys only signed announcements (Trust:PublicKeys)",
            SignatureCheck.UntrustedKey => "signed by a key this scorer does not trust",
            _ => "its signature does not verify: altered or forged",
        });
        return false;
    }

    /// <summary>The manifest of the message when it passes the contract and names our model, else null (refused).</summary>
    private ModelManifest? AcceptManifest(ConsumeResult<byte[], byte[]> result)
    {
        var message = result.Message;
        var source = result.TopicPartitionOffset.ToString();
        var reference = message.Timestamp.Type == TimestampType.NotAvailable
            ? DateTimeOffset.UtcNow
            : DateTimeOffset.FromUnixTimeMilliseconds(message.Timestamp.UnixTimestampMs);
        if (!ManifestValidator.TryParse(message.Value, _validation.WindowAt(reference), out var manifest, out var reason))
        {
            Refuse(source, ModelRejectedException.BadManifest, $"{reason.CodeName}: {reason.Detail}");
            return null;
        }
        if (manifest.ModelName != _options.ModelName)
        {
            Refuse(source, ModelRejectedException.BadManifest, $"keyed {_options.ModelName} but names model {manifest.ModelName}");
            return null;
        }
        return manifest;
    }

    private void Refuse(string source, string code, string reason)
    {
        ScorerMetrics.ModelRejected.WithLabels(code).Inc();
        ScorerLog.AnnouncementRefused(logger, source, code, reason, updater.Holder.CurrentVersion ?? "none");
    }

    public void Dispose() => _stopping.Dispose();
}
