using Fraud.Streaming.DataSets.Synthetic;

namespace Fraud.Streaming.Producer.Tests;

/// <summary>The default world is hard the way real card data is: each of its departures from the classic world, checked.</summary>
public sealed class HardWorldTests
{
    private static List<GeneratedEvent> Generate(SyntheticSettings settings)
    {
        var generator = new SyntheticGenerator(settings);
        return [.. Enumerable.Range(0, settings.Count).Select(_ => generator.Next())];
    }

    [Fact]
    public void About_a_tenth_of_fraud_is_never_reported_card_by_card_and_matures_as_genuine()
    {
        var settings = new SyntheticSettings { Count = 150_000, Cards = 3_000, Seed = 5, FraudRate = 0.02 };
        var events = Generate(settings);
        var groups = events.Where(e => e.Label.IsFraud).GroupBy(e => (e.Transaction.CardId, e.Label.Scenario)).ToList();
        // Every transaction of a (card, scenario) is reported, or none is.
        Assert.All(groups, g => Assert.Single(g.Select(e => e.Published).Distinct()));
        var unreported = groups.Count(g => !g.First().Published) / (double)groups.Count;
        // Binomial over the groups: 10% ± 4 standard errors.
        var tolerance = 4 * Math.Sqrt(0.1 * 0.9 / groups.Count);
        Assert.InRange(unreported, 0.1 - tolerance, 0.1 + tolerance);

        // With a label for every transaction, an unreported fraud's label says genuine.
        var all = Generate(settings with { Labels = LabelMode.All });
        var silent = groups.Where(g => !g.First().Published).SelectMany(g => g).Select(e => e.Transaction.TransactionId).ToHashSet(StringComparer.Ordinal);
        Assert.All(all.Where(e => silent.Contains(e.Transaction.TransactionId)), e => Assert.False(e.Label.IsFraud));
    }

    [Fact]
    public void Card_activity_spans_from_a_purchase_a_month_to_several_a_day()
    {
        var settings = new SyntheticSettings { Count = 200_000, Cards = 2_000, Seed = 6, SpanDays = 90 };
        var perDay = Generate(settings).Where(e => !e.Label.IsFraud).GroupBy(e => e.Transaction.CardId).Select(g => g.Count() / 90.0).Order().ToList();
        var quiet = perDay[perDay.Count / 20];
        var busy = perDay[perDay.Count * 19 / 20];
        Assert.True(busy / quiet >= 30, $"5th percentile {quiet:F2}/day, 95th {busy:F2}/day");
        Assert.True(quiet <= 1 / 15.0 && busy >= 2, $"5th percentile {quiet:F2}/day, 95th {busy:F2}/day");
    }

    [Fact]
    public void Genuine_purchases_at_night_and_abroad_in_person_are_common_and_trips_last_days()
    {
        static (double NightOwls, double AbroadInPerson, int LongTrips) Shape(SyntheticSettings settings)
        {
            var events = Generate(settings);
            var world = new SyntheticGenerator(settings).World.Cards.ToDictionary(c => c.Id, StringComparer.Ordinal);
            var genuine = events.Where(e => !e.Label.IsFraud).Select(e => e.Transaction).ToList();
            var abroad = genuine.Where(t => t.Country != world[t.CardId].HomeCountry && t.Channel != "online").ToList();
            var longTrips = abroad.GroupBy(t => (t.CardId, t.Country)).Count(g => g.Select(t => t.EventTime.UtcDateTime.Date).Distinct().Count() >= 3);
            // At night (00:00-04:00), genuine purchases come from cards whose own hours include the night.
            var night = genuine.Where(t => t.EventTime.Hour < 4).ToList();
            var owls = night.Count(t => world[t.CardId].IsActiveAt(t.EventTime.Hour)) / (double)night.Count;
            return (owls, abroad.Count / (double)genuine.Count, longTrips);
        }
        var hard = Shape(new SyntheticSettings { Count = 100_000, Seed = 7, SpanDays = 30 });
        var classic = Shape(SyntheticSettings.Classic with { Count = 100_000, Seed = 7, SpanDays = 30 });
        Assert.True(hard.NightOwls >= 0.6 && classic.NightOwls < 0.05, $"night purchases by cards awake at night: hard {hard.NightOwls:P1}, classic {classic.NightOwls:P1}");
        Assert.True(hard.AbroadInPerson >= 2 * classic.AbroadInPerson, $"in person abroad hard {hard.AbroadInPerson:P2}, classic {classic.AbroadInPerson:P2}");
        Assert.True(hard.LongTrips >= 20 && hard.LongTrips > 3 * classic.LongTrips, $"trips of 3+ days: hard {hard.LongTrips}, classic {classic.LongTrips}");
    }

    [Fact]
    public void Genuine_look_alikes_include_new_devices_sprees_and_large_amounts()
    {
        var settings = new SyntheticSettings { Count = 100_000, Seed = 8, SpanDays = 30 };
        var generator = new SyntheticGenerator(settings);
        var initialDevices = generator.World.Cards.SelectMany(c => c.Devices).ToHashSet(StringComparer.Ordinal);
        var cards = generator.World.Cards.ToDictionary(c => c.Id, c => c.TypicalAmount, StringComparer.Ordinal);
        var genuine = Enumerable.Range(0, settings.Count).Select(_ => generator.Next()).Where(e => !e.Label.IsFraud).Select(e => e.Transaction).ToList();

        Assert.True(genuine.Count(t => t.DeviceId is not null && !initialDevices.Contains(t.DeviceId)) > 200, "genuine purchases from new phones");
        Assert.True(genuine.Count(t => t.Amount >= 8 * cards[t.CardId]) > 100, "genuine purchases of 8x the card's usual amount or more");
        var sprees = genuine.Where(t => t.Channel == "online").GroupBy(t => (t.CardId, Hour: t.EventTime.UtcDateTime.Ticks / TimeSpan.TicksPerHour)).Count(g => g.Count() >= 4);
        Assert.True(sprees > 50, $"{sprees} hours with 4+ genuine online purchases by one card");
    }

    [Fact]
    public void Friendly_fraud_looks_like_the_cardholder_and_low_and_slow_never_bursts()
    {
        var settings = SyntheticSettings.Classic with { Count = 60_000, Cards = 1_000, Merchants = 300, Seed = 9, FraudRate = 0.03, SpanDays = 60 };
        var friendly = new SyntheticGenerator(settings with { Mix = ScenarioMix.Only(FraudScenarios.FriendlyFraud) });
        var cards = friendly.World.Cards.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var friendlyFraud = Enumerable.Range(0, settings.Count).Select(_ => friendly.Next()).Where(e => e.Label.IsFraud).Select(e => e.Transaction).ToList();
        Assert.True(friendlyFraud.Count > 300);
        Assert.All(friendlyFraud, t =>
        {
            Assert.True(t.DeviceId is null || cards[t.CardId].Devices.Contains(t.DeviceId), $"{t.TransactionId}: device {t.DeviceId} is not the card's");
            Assert.True(t.Country == cards[t.CardId].HomeCountry || t.Channel != "online", $"{t.TransactionId}: online from {t.Country}");
            Assert.InRange(t.Amount, (0.6 * cards[t.CardId].TypicalAmount) - 0.01, (1.8 * cards[t.CardId].TypicalAmount) + 0.01);
        });

        var slow = new SyntheticGenerator(settings with { Mix = ScenarioMix.Only(FraudScenarios.LowAndSlow) });
        var slowFraud = Enumerable.Range(0, settings.Count).Select(_ => slow.Next()).Where(e => e.Label.IsFraud).Select(e => e.Transaction).ToList();
        Assert.True(slowFraud.Count > 300);
        // One occurrence per fraudster device (a card can be sold on twice).
        foreach (var card in slowFraud.GroupBy(t => t.DeviceId))
        {
            var times = card.Select(t => t.EventTime).Order().ToList();
            for (var i = 1; i < times.Count; i++)
            {
                Assert.True(times[i] - times[i - 1] >= TimeSpan.FromDays(2),
                    $"{card.Key}: purchases {times[i - 1]:O} and {times[i]:O} less than two days apart");
            }
        }
    }

    [Fact]
    public void The_mcc_vocabulary_renames_channels_and_categories_and_changes_nothing_else()
    {
        var settings = new SyntheticSettings { Count = 5_000, Seed = 10 };
        var words = Generate(settings);
        var mcc = Generate(settings with { Vocabulary = WorldVocabulary.Mcc });
        Assert.Equal(words.Count, mcc.Count);
        for (var i = 0; i < words.Count; i++)
        {
            var (w, m) = (words[i].Transaction, mcc[i].Transaction);
            Assert.Equal(WorldCatalog.CanonicalChannel(w.Channel), m.Channel);
            Assert.Equal(WorldCatalog.CategoryMcc[WorldCatalog.IndexOfCategory(w.MerchantCategory)], m.MerchantCategory);
            Assert.Equal(w with { Channel = m.Channel, MerchantCategory = m.MerchantCategory }, m);
            Assert.Equal(words[i].Label, mcc[i].Label);
        }
        Assert.Contains(mcc, e => e.Transaction.Channel == "ecommerce");
        Assert.Contains(mcc, e => e.Transaction.Channel == "card_present");
    }
}
