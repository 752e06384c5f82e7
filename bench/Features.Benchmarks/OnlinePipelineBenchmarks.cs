using System.Globalization;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Features.Benchmarks;

/// <summary>
/// The scorer's per-transaction feature work on one core: find the card's state, extract the features,
/// fold the transaction in. Transactions are generated once in setup, so only the pipeline is measured.
/// Results are per transaction (<see cref="BenchmarkAttribute.OperationsPerInvoke"/>).
/// </summary>
[MemoryDiagnoser]
public class OnlinePipelineBenchmarks
{
    private const int Transactions = 100_000;
    private const int BatchSize = 512;
    private Transaction[] _stream = [];
    private TransactionFields[] _fields = [];
    private ulong[] _keys = [];
    private CardStateStore _cards = new();
    private Dictionary<string, CardState> _dictionary = [];
    private float[] _features = [];
    private readonly ulong[] _batchKeys = new ulong[BatchSize];
    private readonly float[] _batchFeatures = new float[BatchSize * CardFeatureExtractor.Spec.Count];

    /// <summary>Cards in the store (all of them hold state): a small store stays in cache, a large one does not.</summary>
    [Params(10_000, 1_000_000)]
    public int Cards { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _stream = Stream(Cards, Transactions);
        _fields = [.. _stream.Select(TransactionFields.Of)];
        _keys = _stream.Select(t => CardStateStore.KeyOf(t.CardId)).ToArray();
        _features = new float[CardFeatureExtractor.Spec.Count];
        _cards = new CardStateStore();
        _dictionary = new Dictionary<string, CardState>(StringComparer.Ordinal);
        // Every card holds some history (so a sweep at the stream's start finds none idle).
        var seeded = new CardState { Count = 1, LastEventMs = _stream[0].EventTime.ToUnixTimeMilliseconds(), MeanAmount = 20f, MaxAmount = 20f };
        for (var card = 0; card < Cards; card++)
        {
            var id = CardId(card);
            _cards.Set(CardStateStore.KeyOf(id), seeded);
            _dictionary[id] = seeded;
        }
        // Cards in the stream already have history: the steady state of a long-running scorer.
        UpdateAndExtract();
        DictionaryUpdateAndExtract();
    }

    /// <summary>What the scorer does per event: the card id hashed to its key, then the store and the extractor.</summary>
    [Benchmark(OperationsPerInvoke = Transactions)]
    public float UpdateAndExtract()
    {
        var sum = 0f;
        foreach (var t in _stream)
        {
            CardFeatureExtractor.ExtractAndUpdate(ref _cards.GetOrAdd(t.CardId), t, _features);
            sum += _features[0];
        }
        return sum;
    }

    /// <summary>As <see cref="UpdateAndExtract"/> with the key computed beforehand (once per event, e.g. while decoding).</summary>
    [Benchmark(OperationsPerInvoke = Transactions)]
    public float UpdateAndExtractKeyed()
    {
        var sum = 0f;
        var stream = _stream;
        var keys = _keys;
        for (var i = 0; i < stream.Length; i++)
        {
            CardFeatureExtractor.ExtractAndUpdate(ref _cards.GetOrAdd(keys[i]), stream[i], _features);
            sum += _features[0];
        }
        return sum;
    }

    /// <summary>
    /// What the scorer's <c>BatchScorer</c> does: per batch of 512 (its default size) hash the card ids, then
    /// <see cref="CardBatchPipeline"/> (lookups prefetched a few transactions ahead) into a row-major buffer.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Transactions)]
    public float PipelinedBatchesOf512()
    {
        var sum = 0f;
        var stream = _fields.AsSpan();
        var count = CardFeatureExtractor.Spec.Count;
        var ttl = CardFeatureExtractor.Spec.CardIdleTtlMs;
        for (var start = 0; start < stream.Length; start += BatchSize)
        {
            var batch = stream.Slice(start, Math.Min(BatchSize, stream.Length - start));
            for (var i = 0; i < batch.Length; i++)
            {
                _batchKeys[i] = CardStateStore.KeyOf(batch[i].CardId);
            }
            CardBatchPipeline.ExtractAndUpdate(_cards, _batchKeys.AsSpan(0, batch.Length), batch, _batchFeatures, count, ttl);
            sum += _batchFeatures[0];
        }
        return sum;
    }

    /// <summary>The previous store, a <c>Dictionary&lt;string, CardState&gt;</c>, measured in the same run for the ratio.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Transactions)]
    public float DictionaryUpdateAndExtract()
    {
        var sum = 0f;
        foreach (var t in _stream)
        {
            CardFeatureExtractor.ExtractAndUpdate(ref CollectionsMarshal.GetValueRefOrAddDefault(_dictionary, t.CardId, out _), t, _features);
            sum += _features[0];
        }
        return sum;
    }

    /// <summary>The extractor alone, one card's state kept in a local: no lookup.</summary>
    [Benchmark(OperationsPerInvoke = Transactions)]
    public float ExtractOnly()
    {
        var state = default(CardState);
        var sum = 0f;
        foreach (var t in _stream)
        {
            CardFeatureExtractor.ExtractAndUpdate(ref state, t, _features);
            sum += _features[0];
        }
        return sum;
    }

    /// <summary>One idle sweep over every card when none is idle (the scan the scorer pays every sweep interval); per card.</summary>
    [Benchmark]
    public int SweepAllCards() => _cards.ExpireIdle(_stream[0].EventTime.ToUnixTimeMilliseconds());

    internal static string CardId(int card) => string.Create(CultureInfo.InvariantCulture, $"card-{card:D7}");

    internal static Transaction[] Stream(int cards, int count)
    {
        var random = new Random(42);
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        string[] countries = ["US", "GB", "DE", "FR", "BR"];
        string[] channels = ["pos", "online", "contactless", "atm"];
        string[] categories = ["grocery", "electronics", "travel", "5411", "jewelry"];
        var stream = new Transaction[count];
        for (var i = 0; i < count; i++)
        {
            var card = random.Next(cards);
            stream[i] = new Transaction
            {
                TransactionId = string.Create(CultureInfo.InvariantCulture, $"tx-{i:D8}"),
                EventTime = start.AddMilliseconds(i * 250L),
                CardId = CardId(card),
                MerchantId = string.Create(CultureInfo.InvariantCulture, $"m-{random.Next(5000)}"),
                MerchantCategory = categories[random.Next(categories.Length)],
                Amount = Math.Round(Math.Exp(random.NextDouble() * 7), 2),
                Currency = "USD",
                Country = countries[random.Next(countries.Length)],
                Channel = channels[random.Next(channels.Length)],
                DeviceId = string.Create(CultureInfo.InvariantCulture, $"dev-{card}-{random.Next(2)}"),
            };
        }
        return stream;
    }
}
