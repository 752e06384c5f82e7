using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Fraud.Streaming.Shared.Kafka;

/// <summary>
/// Reads every partition of a topic from its beginning, for as long as it runs, on a thread of its own (manual
/// assignment, no group, nothing committed) and hands each record to <paramref name="onRecord"/> on that thread: how a
/// process keeps a compacted topic as a table. <see cref="CaughtUp"/> completes once every partition was read to the
/// end it had when first reached.
/// </summary>
public sealed class TopicFollower(KafkaOptions kafka, string topic, string clientId, ILogger logger,
    Action<ConsumeResult<byte[], byte[]>> onRecord) : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;

    /// <summary>Completes when every partition was read to its end once; faults when the follower stops on an error.</summary>
    public Task CaughtUp => _caughtUp.Task;

    /// <summary>Partitions of the topic; 0 until known.</summary>
    public int Partitions { get; private set; }

    /// <summary>Records handed out so far.</summary>
    public long Records { get; private set; }

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = $"follow-{topic}" };
        _thread.Start();
    }

    private void Run()
    {
        try
        {
            using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
            {
                ClientId = clientId,
                // Never used: assignment is manual and nothing is committed; librdkafka wants one all the same.
                GroupId = $"{clientId}.{Guid.NewGuid():N}",
                EnableAutoCommit = false,
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnablePartitionEof = true,
                AllowAutoCreateTopics = false,
                // A reader of a table wants each record as soon as it is written; Kafka answers a fetch when data arrives,
                // the dev Kafka (librdkafka's mock) only after this wait.
                FetchWaitMaxMs = 100,
            }.ForCluster(kafka))
            .LogTo(logger)
            .SetErrorHandler((_, error) => TopicFollowerLog.KafkaError(logger, topic, error.Reason))
            .Build();
            if (!Assign(consumer))
            {
                return;
            }
            Follow(consumer);
            consumer.Close();
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            TopicFollowerLog.Failed(logger, topic, ex);
            _caughtUp.TrySetException(ex);
        }
        finally
        {
            _caughtUp.TrySetCanceled();
        }
    }

    private bool Assign(IConsumer<byte[], byte[]> consumer)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(5)).Topics.Find(t => t.Topic == topic);
                if (metadata is not null && !metadata.Error.IsError && metadata.Partitions.Count > 0)
                {
                    consumer.Assign(metadata.Partitions.Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning)));
                    Partitions = metadata.Partitions.Count;
                    TopicFollowerLog.Following(logger, topic, Partitions);
                    return true;
                }
                TopicFollowerLog.Missing(logger, topic, metadata?.Error.Reason ?? "not found");
            }
            catch (KafkaException ex)
            {
                TopicFollowerLog.KafkaError(logger, topic, ex.Error.Reason);
            }
            _stopping.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
        }
        return false;
    }

    private void Follow(IConsumer<byte[], byte[]> consumer)
    {
        var atEnd = new HashSet<int>();
        while (!_stopping.IsCancellationRequested)
        {
            ConsumeResult<byte[], byte[]>? result;
            try
            {
                result = consumer.Consume(Poll);
            }
            catch (ConsumeException ex) when (!ex.Error.IsFatal)
            {
                TopicFollowerLog.KafkaError(logger, topic, ex.Error.Reason);
                continue;
            }
            if (result is null)
            {
                continue;
            }
            if (result.IsPartitionEOF)
            {
                if (atEnd.Add(result.Partition.Value) && atEnd.Count == Partitions)
                {
                    _caughtUp.TrySetResult();
                }
                continue;
            }
            Records++;
            onRecord(result);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _thread?.Join(TimeSpan.FromSeconds(10));
        _stopping.Dispose();
    }
}
