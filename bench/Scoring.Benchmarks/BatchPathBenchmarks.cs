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
/// (JSON parse, validation, key and duplicate checks), queuing, <c>Decide</c> (card features, inference, decisions),
/// then, as the publisher's thread does, reasons for flagged verdicts and each verdict written into the message that
/// would be produced. What the memory
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
    private readonly Message<byte[], byte[]> _message = new();
    private TransactionFields[] _admitted = [];
    private DateTimeOffset[] _since = [];
    private readonly PendingVerdicts _pending = new(Rows);
    private readonly ReasonBuilder _reasons = new(BatchScorer.ReasonCount);
    private readonly VerdictJson _json = new();

    [GlobalSetup]
    public void Setup()
    {
        var inputs = ScoringBenchInputs.Load();
        _model = inputs.Model;
        // As the streaming worker runs it: reasons explained with the verdicts' writing, not inside scoring.
        _batch = new BatchScorer(Rows, BatchScorer.Spec, inputs.Entities) { DefersReasons = true };
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
        _admitted = _messages.Select(m => _admission.TryAdmit(m, _ids, out var t, out _) ? t : throw new InvalidOperationException("a benchmark message was refused")).ToArray();
        _since = _messages.Select(m => DateTimeOffset.FromUnixTimeMilliseconds(m.Message.Timestamp.UnixTimestampMs)).ToArray();
        Console.WriteLine($"// batch path: {Rows} messages, {_batch.CardCount + _cards.Count} cards");
    }

    /// <summary>For the verdicts' stage alone: the batch scored once and left as scoring leaves it.</summary>
    [GlobalSetup(Target = nameof(Verdict_messages))]
    public void SetupScored()
    {
        Setup();
        for (var i = 0; i < _admitted.Length; i++)
        {
            _batch.Add(_admitted[i], _since[i], _cards);
        }
        _batch.Decide(_model, DateTimeOffset.UtcNow);
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
        _batch.Decide(_model, DateTimeOffset.UtcNow);
        bytes += Verdict_messages();
        _batch.Clear();
        return bytes;
    }

    /// <summary>The first stage alone: admission of each message (its parse, validation, key and duplicate checks).</summary>
    [Benchmark(OperationsPerInvoke = Rows)]
    public int Admission()
    {
        var admitted = 0;
        foreach (var result in _messages)
        {
            admitted += _admission.TryAdmit(result, _ids, out _, out _) ? 1 : 0;
        }
        return admitted;
    }

    /// <summary>The second stage alone: the admitted transactions queued and scored (features, inference, decisions).</summary>
    [Benchmark(OperationsPerInvoke = Rows)]
    public int Score()
    {
        for (var i = 0; i < _admitted.Length; i++)
        {
            _batch.Add(_admitted[i], _since[i], _cards);
        }
        var count = _batch.Decide(_model, DateTimeOffset.UtcNow);
        _batch.Clear();
        return count;
    }

    /// <summary>
    /// The third stage alone, as the publisher's thread runs it: the scored batch captured, its flagged rows explained,
    /// and each verdict written into the message that would be produced.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Rows)]
    public int Verdict_messages()
    {
        _pending.Capture(_batch, _model);
        _pending.Explain(_reasons);
        var bytes = 0;
        for (var i = 0; i < _pending.Count; i++)
        {
            // As the publisher does: one message refilled per verdict (the client copies the payload while producing).
            _message.Key = _messages[i].Message.Key;
            _message.Value = _pending.Write(_json, i);
            bytes += _message.Value.Length;
        }
        _pending.Clear();
        return bytes;
    }
}
