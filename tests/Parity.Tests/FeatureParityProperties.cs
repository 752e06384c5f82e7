using System.Globalization;
using System.Text;
using Fraud.Streaming.Scorer;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Trainer;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Configuration;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Parity.Tests;

/// <summary>
/// Property-based parity: FsCheck generates transaction streams (random cards interleaved so the stream goes
/// back in time between cards, ties on event time, tiny and huge amounts, unknown channels and categories,
/// missing devices) and a batch size; the online path (<see cref="BatchScorer"/>, as the worker and
/// <c>score-file</c> run it) and the offline path (<c>trainer features</c> over the same transactions in another
/// order) must agree on every bit of every feature. A failure shrinks to a minimal stream, printed event by event.
/// </summary>
public sealed class FeatureParityProperties
{
    [Property(Arbitrary = [typeof(StreamArbitrary)], MaxTest = 150)]
    public void Online_features_equal_offline_features_bit_for_bit(TransactionStream stream)
    {
        var online = Online(stream.Arrivals, stream.BatchSize);
        var offline = Offline(stream.Arrivals);
        Assert.Equal(stream.Arrivals.Count, offline.Count);
        var names = TestModels.Spec().Names;
        foreach (var t in stream.Arrivals)
        {
            var (expected, actual) = (offline[t.TransactionId], online[t.TransactionId]);
            for (var f = 0; f < names.Count; f++)
            {
                if (BitConverter.SingleToInt32Bits(expected[f]) != BitConverter.SingleToInt32Bits(actual[f]))
                {
                    Assert.Fail($"{t.TransactionId} {names[f]}: offline {expected[f]:R} online {actual[f]:R}");
                }
            }
        }
    }

    [Property(Arbitrary = [typeof(StreamArbitrary)], MaxTest = 100)]
    public void Late_events_within_a_card_give_the_same_online_features_at_any_batch_size(TransactionStream stream)
    {
        // Out-of-order events within a card exist only online (history is sorted); the policy for them must not
        // depend on how the stream is cut into batches. Every card's events are reversed, so each is late.
        var late = stream.Arrivals.GroupBy(t => t.CardId).SelectMany(g => g.Reverse()).ToList();
        var one = Online(late, 1);
        var other = Online(late, stream.BatchSize);
        foreach (var (id, features) in one)
        {
            Assert.Equal(features.Select(BitConverter.SingleToInt32Bits), other[id].Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void The_generator_makes_ties_late_cards_and_every_kind_of_value()
    {
        // The properties are only as strong as the streams: check that the generator reaches the cases.
        var streams = StreamArbitrary.Streams().Generator.Sample(size: 60, numberOfSamples: 300);
        var all = streams.SelectMany(s => s.Arrivals).ToList();
        Assert.Contains(streams, s => s.Arrivals.Zip(s.Arrivals.Skip(1)).Any(p => p.Second.EventTime < p.First.EventTime));
        Assert.Contains(streams, s => s.Arrivals.GroupBy(t => (t.CardId, t.EventTime)).Any(g => g.Count() > 1));
        Assert.Contains(all, t => t.DeviceId is null);
        Assert.Contains(all, t => t.Amount < 0.1);
        Assert.Contains(all, t => t.Amount > 1e6);
        Assert.Contains(all, t => t.Channel == "ONLINE");
        Assert.Contains(all, t => t.MerchantCategory == "unlisted-category");
        Assert.Contains(all, t => t.EmailDomain == "new.example");
        Assert.Contains(all, t => t.Attributes is null);
        Assert.Contains(all, t => t.Attributes?.ContainsKey("M4") == false);
        Assert.Contains(streams, s => s.BatchSize == 1);
        Assert.Contains(streams, s => s.BatchSize > s.Arrivals.Count);
    }

    private static Dictionary<string, float[]> Online(IReadOnlyList<Transaction> arrivals, int batchSize)
    {
        // The totals of the whole stream, as an aggregator that closed every day publishes them.
        var scorer = new BatchScorer(batchSize, entities: TestEntities.Complete(arrivals));
        var features = new Dictionary<string, float[]>(StringComparer.Ordinal);
        void Drain()
        {
            scorer.Score(TestModels.Loaded, DateTimeOffset.UnixEpoch); // the entity features, from the table
            for (var i = 0; i < scorer.Count; i++)
            {
                features.Add(scorer.TransactionAt(i).TransactionId.Text!, scorer.FeaturesAt(i).ToArray());
            }
            scorer.Clear();
        }
        foreach (var t in arrivals)
        {
            if (scorer.IsFull)
            {
                Drain();
            }
            scorer.Add(t, DateTimeOffset.UnixEpoch);
        }
        Drain();
        return features;
    }

    // The trainer's `features` command in-process, over a JSONL file in reverse arrival order: it must sort.
    private static Dictionary<string, float[]> Offline(IReadOnlyList<Transaction> arrivals)
    {
        var dir = Directory.CreateTempSubdirectory("parity-property-");
        try
        {
            var input = Path.Combine(dir.FullName, "tx.jsonl");
            var output = Path.Combine(dir.FullName, "features.jsonl");
            File.WriteAllText(input, Testing.TestData.Jsonl(arrivals.Reverse()));
            var package = Path.Combine(dir.FullName, "model");
            TestModels.WritePackage(package, "v-test", seed: 1); // the package whose spec the online side scores with
            using var log = new StringWriter();
            var code = TrainerCli.Build(new ConfigurationBuilder().Build(), log, log)
                .Parse(["features", "--transactions", input, "--out", output, "--model", package]).Invoke();
            Assert.True(code == 0, $"trainer features exited {code}: {log}");
            return File.ReadLines(output)
                .Select(l => FeatureVectorWriter.Parse(Encoding.UTF8.GetBytes(l)))
                .ToDictionary(r => r.TransactionId, r => r.Features, StringComparer.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}

/// <summary>One generated event before it becomes a transaction; small integers, so shrinking reads well.</summary>
/// <param name="Extra">which e-mail domain and attributes the transaction has (<see cref="TransactionStream.Extras"/>).</param>
public readonly record struct StreamEvent(int Card, long GapMs, double Amount, int Merchant, string Country, int? Device, string Channel, string Category, int IdKey,
    int Extra = 0)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"card {Card} +{GapMs}ms {Amount} m{Merchant} {Country} dev {(Device is { } d ? d.ToString(CultureInfo.InvariantCulture) : "-")} {Channel} {Category} id {IdKey} extra {Extra}");
}

/// <summary>A generated stream: events in arrival order, and the scorer's batch size.</summary>
public sealed class TransactionStream(IReadOnlyList<StreamEvent> events, int batchSize)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 23, 30, 0, TimeSpan.Zero);

    /// <summary>E-mail domain and attributes by <see cref="StreamEvent.Extra"/>: known, unseen and missing values, numbers in every form.</summary>
    internal static readonly (string? Email, string? Attributes)[] Extras =
    [
        (null, null),
        ("gmail.com", """{"V1": 12.5, "M4": "M0"}"""),
        ("GMAIL.com ", """{"V1": "3", "M4": "m9"}"""),
        ("new.example", """{"V1": false, "M4": 7.0}"""),
        ("example.org", """{"V1": null, "M4": null, "V2": 1}"""),
        ("", """{"V1": 1e-30, "M4": " none "}"""),
        ("proton.me", """{"V1": 3.4e38}"""),
        (null, """{"M4": ["a"], "V1": {"x": 1}}"""),
    ];

    public IReadOnlyList<StreamEvent> Events { get; } = events;
    public int BatchSize { get; } = batchSize;

    /// <summary>
    /// The transactions in arrival order. Each card's clock starts at its own offset and moves by the events'
    /// gaps, so the stream as a whole goes back in time whenever it switches card; a card's own events keep
    /// history order (ties in transaction id order), as a partition keyed by card delivers them.
    /// </summary>
    public IReadOnlyList<Transaction> Arrivals { get; } = Build(events);

    private static List<Transaction> Build(IReadOnlyList<StreamEvent> events)
    {
        var clocks = new Dictionary<int, DateTimeOffset>();
        var built = new List<Transaction>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var clock = clocks.TryGetValue(e.Card, out var c) ? c : Start.AddMinutes(e.Card * 7 % 120);
            clocks[e.Card] = clock = clock.AddMilliseconds(e.GapMs);
            built.Add(new Transaction
            {
                TransactionId = string.Create(CultureInfo.InvariantCulture, $"t{e.IdKey:D2}-{i:D4}"),
                EventTime = clock,
                CardId = string.Create(CultureInfo.InvariantCulture, $"card-{e.Card}"),
                MerchantId = string.Create(CultureInfo.InvariantCulture, $"m-{e.Merchant}"),
                MerchantCategory = e.Category,
                Amount = e.Amount,
                Currency = "EUR",
                Country = e.Country,
                Channel = e.Channel,
                DeviceId = e.Device is { } d ? string.Create(CultureInfo.InvariantCulture, $"dev-{e.Card}-{d}") : null,
                EmailDomain = Extras[e.Extra].Email,
                Attributes = Extras[e.Extra].Attributes is { } json
                    ? System.Text.Json.JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone())
                    : null,
            });
        }
        // Within a card, ties go in transaction id order, keeping the positions the card has in the stream.
        foreach (var card in built.Select((t, i) => (t, i)).GroupBy(p => p.t.CardId))
        {
            var positions = card.Select(p => p.i).ToList();
            var ordered = card.Select(p => p.t).OrderBy(t => t.EventTime.UtcTicks).ThenBy(t => t.TransactionId, StringComparer.Ordinal).ToList();
            for (var k = 0; k < positions.Count; k++)
            {
                built[positions[k]] = ordered[k];
            }
        }
        return built;
    }

    public override string ToString() =>
        $"batch size {BatchSize}, {Events.Count} events:\n  " + string.Join("\n  ", Events);
}

/// <summary>Generator and shrinker of <see cref="TransactionStream"/>.</summary>
public static class StreamArbitrary
{
    private static readonly string[] Countries = ["US", "GB", "DE", "BR", "NG"];
    private static readonly string[] Channels = ["pos", "contactless", "online", "ONLINE", "ecom", "atm", "moto", "phone", "kiosk", ""];
    private static readonly string[] Categories = ["grocery", "electronics", "jewelry", "digital_goods", "travel", "5411", "7995", "unlisted-category"];

    public static Arbitrary<TransactionStream> Streams() => Arb.From(
        from events in Event().ListOf()
        from batchSize in Gen.Frequency((3, Gen.Choose(1, 8)), (2, Gen.Choose(1, Math.Max(1, events.Count + 2))), (1, Gen.Constant(4096)))
        select new TransactionStream([.. events], batchSize),
        Shrink);

    private static Gen<StreamEvent> Event() =>
        from card in Gen.Choose(0, 5)
        from gap in Gen.Frequency(
            (3, Gen.Constant(0L)),
            (3, Gen.Choose(1, 60_000).Select(g => (long)g)),
            (2, Gen.Choose(60_000, 7_200_000).Select(g => (long)g)),
            (1, Gen.Choose(1, 20).Select(days => days * 86_400_000L)))
        from amount in Gen.Frequency(
            (1, Gen.Constant(0d)),
            (2, Gen.Choose(1, 99).Select(c => c / 100d)),
            (3, Gen.Choose(100, 499).Select(c => c / 100d)),
            (4, Gen.Choose(500, 300_000).Select(c => c / 100d)),
            (1, Gen.Choose(1, 1_000_000).Select(c => c * 1_000.37d)),
            (1, Gen.Elements(1e-7, 5d, 4.999999, 123456789.12, 999_999_999_999.99, ContractLimits.MaxAmount)))
        from merchant in Gen.Choose(0, 12)
        from country in Gen.Elements(Countries)
        from device in Gen.Frequency((1, Gen.Constant<int?>(null)), (3, Gen.Choose(0, 3).Select(d => (int?)d)))
        from channel in Gen.Elements(Channels)
        from category in Gen.Elements(Categories)
        from idKey in Gen.Choose(0, 99)
        from extra in Gen.Choose(0, TransactionStream.Extras.Length - 1)
        select new StreamEvent(card, gap, amount, merchant, country, device, channel, category, idKey, extra);

    // Fewer events first (halves, then each single one), then simpler events, then batch size 1.
    private static IEnumerable<TransactionStream> Shrink(TransactionStream stream)
    {
        var events = stream.Events;
        if (events.Count > 1)
        {
            yield return new TransactionStream([.. events.Take(events.Count / 2)], stream.BatchSize);
            yield return new TransactionStream([.. events.Skip(events.Count / 2)], stream.BatchSize);
        }
        for (var i = 0; i < events.Count; i++)
        {
            yield return new TransactionStream([.. events.Take(i), .. events.Skip(i + 1)], stream.BatchSize);
        }
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var simpler = e with { GapMs = e.GapMs > 1000 ? 1000 : e.GapMs, Merchant = 0, Device = e.Device is null ? null : 0, IdKey = 0, Extra = 0 };
            if (simpler != e)
            {
                yield return new TransactionStream([.. events.Take(i), simpler, .. events.Skip(i + 1)], stream.BatchSize);
            }
        }
        if (stream.BatchSize > 1)
        {
            yield return new TransactionStream(events, 1);
        }
    }
}
