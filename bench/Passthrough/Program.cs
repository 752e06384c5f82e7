using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;

// The broker's own speed for the scorer's job: consume the transactions topic and produce every message, unchanged,
// to another topic, with the scorer's client settings and commit policy (micro-batches of at most 512 messages or
// 20 ms; a batch's offsets are committed synchronously only once all its messages are acknowledged), and nothing
// else. bench/scorer-vs-passthrough.sh times it beside the scorer on the same backlog. The clock starts at the
// first message or, with WARMUP, once that many have been moved (as the scorer's clock does with the same warm-up).
//   Fraud.Streaming.Passthrough BOOTSTRAP FROM_TOPIC TO_TOPIC GROUP COUNT [MAX_BATCH=512] [MAX_WAIT_MS=20] [WARMUP=0]
if (args.Length is < 5 or > 8)
{
    Console.Error.WriteLine("usage: Fraud.Streaming.Passthrough BOOTSTRAP FROM_TOPIC TO_TOPIC GROUP COUNT [MAX_BATCH=512] [MAX_WAIT_MS=20] [WARMUP=0]");
    return 2;
}
var (bootstrap, from, to, group) = (args[0], args[1], args[2], args[3]);
if (!long.TryParse(args[4], CultureInfo.InvariantCulture, out var count) || count < 1
    || !TryOptional(args, 5, 512, out var maxBatch) || !TryOptional(args, 6, 20, out var maxWaitMs)
    || !long.TryParse(args.Length > 7 ? args[7] : "0", CultureInfo.InvariantCulture, out var warmup) || warmup < 0 || warmup >= count)
{
    Console.Error.WriteLine("error: COUNT, MAX_BATCH and MAX_WAIT_MS must be positive integers, WARMUP one below COUNT");
    return 2;
}

using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
{
    BootstrapServers = bootstrap,
    ClientId = "fraud-passthrough",
    GroupId = group,
    EnableAutoCommit = false,
    EnableAutoOffsetStore = false,
    AutoOffsetReset = AutoOffsetReset.Earliest,
    PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
    FetchWaitMaxMs = 100,
}).Build();
using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
{
    BootstrapServers = bootstrap,
    ClientId = "fraud-passthrough",
    EnableIdempotence = true,
    Acks = Acks.All,
    LingerMs = 2,
    MessageTimeoutMs = 30_000,
}).Build();

consumer.Subscribe(from);
var batch = new List<ConsumeResult<byte[], byte[]>>(maxBatch);
var offsets = new Dictionary<TopicPartition, TopicPartitionOffset>();
long moved = 0, pending = 0, failed = 0;
var done = new ManualResetEventSlim();
void Delivered(DeliveryReport<byte[], byte[]> report)
{
    if (report.Error.IsError)
    {
        Interlocked.Increment(ref failed);
    }
    if (Interlocked.Decrement(ref pending) == 0)
    {
        done.Set();
    }
}

Stopwatch? clock = null;
long timedFrom = 0;
while (moved < count)
{
    batch.Clear();
    var deadline = Environment.TickCount64 + maxWaitMs;
    while (batch.Count < maxBatch)
    {
        var wait = batch.Count == 0 ? 1000 : (int)Math.Max(0, deadline - Environment.TickCount64);
        var result = consumer.Consume(wait);
        if (result is null)
        {
            break;
        }
        if (clock is null && moved >= warmup)
        {
            (clock, timedFrom) = (Stopwatch.StartNew(), moved);
        }
        batch.Add(result);
    }
    if (batch.Count == 0)
    {
        continue;
    }
    done.Reset();
    pending = batch.Count;
    offsets.Clear();
    foreach (var message in batch)
    {
        producer.Produce(to, new Message<byte[], byte[]> { Key = message.Message.Key, Value = message.Message.Value, Headers = message.Message.Headers }, Delivered);
        offsets[message.TopicPartition] = new TopicPartitionOffset(message.TopicPartition, message.Offset + 1);
    }
    done.Wait();
    if (Interlocked.Read(ref failed) > 0)
    {
        Console.Error.WriteLine($"error: {failed} messages were not acknowledged");
        return 5;
    }
    consumer.Commit(offsets.Values);
    moved += batch.Count;
}
consumer.Close();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"passthrough: {moved - timedFrom} messages in {clock!.Elapsed.TotalSeconds:F3} s"));
return 0;

static bool TryOptional(string[] args, int index, int fallback, out int value)
{
    value = fallback;
    return args.Length <= index || (int.TryParse(args[index], CultureInfo.InvariantCulture, out value) && value > 0);
}
