using System.Globalization;
using BenchmarkDotNet.Attributes;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Features.Benchmarks;

/// <summary>
/// The scorer's per-transaction feature work on one core: find the card's state, extract the features,
/// fold the transaction in. Results are per transaction (<see cref="BenchmarkAttribute.OperationsPerInvoke"/>).
/// </summary>
[MemoryDiagnoser]
public class OnlinePipelineBenchmarks
{
    private const int Transactions = 100_000;
    private Transaction[] _stream = [];
    private CardStateStore _cards = new();
    private float[] _features = [];

    /// <summary>Cards in the store (all of them hold state): a small store stays in cache, a large one does not.</summary>
    [Params(10_000, 1_000_000)]
    public int Cards { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        string[] countries = ["US", "GB", "DE", "FR", "BR"];
        string[] channels = ["pos", "online", "contactless", "atm"];
        string[] categories = ["grocery", "electronics", "travel", "5411", "jewelry"];
        _stream = new Transaction[Transactions];
        for (var i = 0; i < Transactions; i++)
        {
            var card = random.Next(Cards);
            _stream[i] = new Transaction
            {
                TransactionId = string.Create(CultureInfo.InvariantCulture, $"tx-{i:D8}"),
                EventTime = start.AddMilliseconds(i * 250L),
                CardId = string.Create(CultureInfo.InvariantCulture, $"card-{card:D7}"),
                MerchantId = string.Create(CultureInfo.InvariantCulture, $"m-{random.Next(5000)}"),
                MerchantCategory = categories[random.Next(categories.Length)],
                Amount = Math.Round(Math.Exp(random.NextDouble() * 7), 2),
                Currency = "USD",
                Country = countries[random.Next(countries.Length)],
                Channel = channels[random.Next(channels.Length)],
                DeviceId = string.Create(CultureInfo.InvariantCulture, $"dev-{card}-{random.Next(2)}"),
            };
        }
        _features = new float[CardFeatureExtractor.Spec.Count];
        _cards = new CardStateStore();
        for (var card = 0; card < Cards; card++)
        {
            _cards.GetOrAdd(string.Create(CultureInfo.InvariantCulture, $"card-{card:D7}"));
        }
        // Cards in the stream already have history: the steady state of a long-running scorer.
        UpdateAndExtract();
    }

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

    /// <summary>The extractor alone, one card's state kept in a local: no dictionary lookup.</summary>
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
}
