using System.Text;
using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using Fraud.Streaming.Scorer;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scoring.Benchmarks;

/// <summary>
/// The scoring loop's own work on one micro-batch of 512 messages, per transaction, without the Kafka client: admission
/// (JSON parse, validation, key and duplicate checks), queuing, <c>Score</c> (card features, inference, decisions,
/// reasons for flagged verdicts) and each verdict serialized into the message that would be produced. What the memory
/// diagnoser reports here is what the scorer allocates per transaction beside Confluent.Kafka's own objects (the
/// consumed message, its key and value arrays, the delivery report).
/// </summary>
[MemoryDiagnoser]
public class BatchPathBenchmarks
{
    private const int Rows = 512;
    private LoadedModel _model = null!;
    private BatchScorer _batch = null!;
    private readonly TransactionAdmission _admission = new(new ValidationOptions());
    private readonly RecentTransactionIds _ids = new(100_000);
    private CardStateStore _cards = null!;
    private ConsumeResult<byte[], byte[]>[] _messages = [];
    private readonly Message<byte[], byte[]>[] _produced = new Message<byte[], byte[]>[Rows];

    [GlobalSetup]
    public void Setup()
    {
        var inputs = ScoringBenchInputs.Load();
        _model = inputs.Model;
        _batch = inputs.NewBatch(Rows);
        _cards = _batch.NewCards();
        // The newest transactions of the file as the consumer hands them over: keyed by card, stamped a second after the event.
        var lines = inputs.ByEventTime();
        _messages = lines.TakeLast(Rows).Select((x, i) => new ConsumeResult<byte[], byte[]>
        {
            TopicPartitionOffset = new TopicPartitionOffset("transactions", 0, i),
            Message = new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes(x.Transaction.CardId),
                Value = x.Bytes,
                Timestamp = new Timestamp(x.Transaction.EventTime.AddSeconds(1)),
            },
        }).ToArray();
        // Every card's history before the batch, so its features are those of a warm scorer.
        foreach (var (_, t) in lines.Take(lines.Count - Rows))
        {
            _batch.Add(t, DateTimeOffset.UtcNow, _cards);
            if (_batch.IsFull)
            {
                _batch.Clear();
            }
        }
        _batch.Clear();
        Console.WriteLine($"// batch path: {Rows} messages, {_batch.CardCount + _cards.Count} cards");
    }

    /// <summary>One micro-batch; the same offsets each time, so the duplicate check admits them as a replay.</summary>
    [Benchmark(OperationsPerInvoke = Rows)]
    public int Batch_path()
    {
        var bytes = 0;
        foreach (var result in _messages)
        {
            if (!_admission.TryAdmit(result, _ids, out var transaction, out _))
            {
                throw new InvalidOperationException("a benchmark message was refused");
            }
            _batch.Add(transaction, DateTimeOffset.FromUnixTimeMilliseconds(result.Message.Timestamp.UnixTimestampMs), _cards);
        }
        var verdicts = _batch.Score(_model, DateTimeOffset.UtcNow);
        for (var i = 0; i < verdicts.Length; i++)
        {
            _produced[i] = new Message<byte[], byte[]> { Key = _messages[i].Message.Key, Value = ContractJson.Serialize(verdicts[i]) };
            bytes += _produced[i].Value.Length;
        }
        _batch.Clear();
        return bytes;
    }
}
