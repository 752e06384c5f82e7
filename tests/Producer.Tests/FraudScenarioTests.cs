using Fraud.Streaming.DataSets.Synthetic;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Producer.Tests;

/// <summary>Each scenario, generated alone, shows the pattern its name promises.</summary>
public sealed class FraudScenarioTests
{
    private static List<GeneratedEvent> Generate(string scenario, int count = 60_000, double rate = 0.03, double spanDays = 14)
    {
        var settings = new SyntheticSettings
        {
            Count = count, Cards = 1_000, Merchants = 300, FraudRate = rate, Seed = 21, SpanDays = spanDays, Mix = ScenarioMix.Only(scenario),
            // Each scenario's own mechanics, without the hard world's genuine look-alikes (a new phone changes a card's devices).
            Realism = WorldRealism.None,
        };
        var generator = new SyntheticGenerator(settings);
        return Enumerable.Range(0, count).Select(_ => generator.Next()).ToList();
    }

    private static (SyntheticWorld World, Dictionary<string, CardProfile> Cards, HashSet<string> Devices) WorldOf(string scenario)
    {
        var world = new SyntheticGenerator(new SyntheticSettings { Count = 1, Cards = 1_000, Merchants = 300, Seed = 21, Mix = ScenarioMix.Only(scenario), Realism = WorldRealism.None }).World;
        return (world, world.Cards.ToDictionary(c => c.Id, StringComparer.Ordinal), world.Cards.SelectMany(c => c.Devices).ToHashSet(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(FraudScenarios.CardTesting)]
    [InlineData(FraudScenarios.AccountTakeover)]
    [InlineData(FraudScenarios.StolenCardAbroad)]
    [InlineData(FraudScenarios.MerchantCompromise)]
    [InlineData(FraudScenarios.BustOut)]
    public void A_single_scenario_mix_yields_only_that_scenario_near_the_requested_rate(string scenario)
    {
        // A long span, so merchant compromise (fraud 2-10 days after the breach) is past its ramp-up for most of the run.
        var events = Generate(scenario, spanDays: 180);
        var fraud = events.Where(e => e.Label.IsFraud).ToList();
        Assert.All(fraud, e => Assert.Equal(scenario, e.Label.Scenario));
        Assert.All(events.Where(e => !e.Label.IsFraud), e => Assert.Null(e.Label.Scenario));
        Assert.InRange(fraud.Count / (double)events.Count, 0.025, 0.035);
    }

    [Fact]
    public void Stolen_card_abroad_is_in_person_in_a_foreign_country()
    {
        var (_, cards, _) = WorldOf(FraudScenarios.StolenCardAbroad);
        var fraud = Generate(FraudScenarios.StolenCardAbroad).Where(e => e.Label.IsFraud).Select(e => e.Transaction).ToList();
        Assert.True(fraud.Count > 500, $"only {fraud.Count}");
        Assert.All(fraud, tx =>
        {
            Assert.NotEqual(cards[tx.CardId].HomeCountry, tx.Country);
            Assert.Contains(tx.Channel, new[] { "pos", "contactless" });
            Assert.Null(tx.DeviceId);
            Assert.True(tx.Amount >= 2 * cards[tx.CardId].TypicalAmount - 0.01);
        });
    }

    [Fact]
    public void Merchant_compromise_fraud_follows_days_after_a_purchase_at_a_merchant_many_victims_share()
    {
        var events = Generate(FraudScenarios.MerchantCompromise);
        var fraud = events.Where(e => e.Label.IsFraud).Select(e => e.Transaction).ToList();
        Assert.True(fraud.Count > 500, $"only {fraud.Count}");
        var victims = fraud.Select(t => t.CardId).ToHashSet(StringComparer.Ordinal);
        // Merchants where at least three future victims paid legitimately: the breached ones.
        var breached = events.Where(e => !e.Label.IsFraud && victims.Contains(e.Transaction.CardId))
            .GroupBy(e => e.Transaction.MerchantId)
            .Where(g => g.Select(e => e.Transaction.CardId).Distinct().Count() >= 3)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var explained = fraud.Count(tx => breached.Values.Any(visits => visits.Any(v =>
            v.Transaction.CardId == tx.CardId && tx.EventTime - v.Transaction.EventTime >= TimeSpan.FromDays(2))));
        Assert.True(explained >= 0.95 * fraud.Count, $"{explained} of {fraud.Count} fraud transactions follow a breach visit");
        Assert.All(fraud, tx => Assert.Equal("online", tx.Channel));
    }

    [Fact]
    public void Bust_out_escalates_on_the_cardholders_own_device_at_home()
    {
        var (_, cards, devices) = WorldOf(FraudScenarios.BustOut);
        var fraud = Generate(FraudScenarios.BustOut, rate: 0.01).Where(e => e.Label.IsFraud).Select(e => e.Transaction).ToList();
        Assert.True(fraud.Count > 200, $"only {fraud.Count}");
        Assert.All(fraud, tx =>
        {
            Assert.Equal(cards[tx.CardId].HomeCountry, tx.Country);
            Assert.Contains(tx.DeviceId!, devices);
        });
        var steps = 0;
        var rising = 0;
        foreach (var card in fraud.GroupBy(t => t.CardId))
        {
            var amounts = card.OrderBy(t => t.EventTime).Select(t => t.Amount).ToList();
            for (var i = 1; i < amounts.Count; i++)
            {
                steps++;
                rising += amounts[i] > amounts[i - 1] ? 1 : 0;
            }
        }
        Assert.True(rising >= 0.9 * steps, $"{rising} of {steps} steps rise");
    }

    [Fact]
    public void Labels_arrive_days_later_in_event_time_and_name_the_scenario()
    {
        var events = Generate(FraudScenarios.CardTesting, count: 20_000);
        Assert.All(events, e =>
        {
            var delay = e.Label.LabelledAt - e.Transaction.EventTime;
            Assert.True(delay >= TimeSpan.FromDays(1), $"label after {delay}");
            Assert.Equal(e.Label.IsFraud ? delay < TimeSpan.FromDays(4) ? FraudScenarios.ConfirmedSource : FraudScenarios.ChargebackSource
                : e.Published ? FraudScenarios.ReviewSource : FraudScenarios.MaturedSource, e.Label.Source);
            Assert.True(delay <= TimeSpan.FromDays(e.Label.IsFraud ? 30 : 45), $"label after {delay}");
        });
        Assert.Contains(events, e => e.Label.Scenario == FraudScenarios.CardTesting);
    }

    [Fact]
    public void The_default_mix_produces_every_scenario_deterministically()
    {
        var settings = new SyntheticSettings { Count = 100_000, FraudRate = 0.02, Seed = 4 };
        string Run()
        {
            var generator = new SyntheticGenerator(settings);
            return string.Join('\n', Enumerable.Range(0, settings.Count).Select(_ => generator.Next())
                .Select(e => $"{ContractJsonText(e.Transaction)}|{e.Label.Scenario}|{e.Label.LabelledAt:O}"));
        }
        var first = Run();
        Assert.Equal(first, Run());
        Assert.All(FraudScenarios.All.Where((_, i) => ScenarioMix.Default.Weights[i] > 0), name => Assert.Contains($"|{name}|", first, StringComparison.Ordinal));
    }

    [Fact]
    public void A_mean_gap_sets_event_time_speed_instead_of_the_span()
    {
        // Speed-up 3600 at 100 tx/s: 36 event-seconds per transaction.
        // The classic world: the hard one's trips last days and start empty, so its first days run a little slower
        // (about 15% over four event-days here) until the trips under way reach their steady number.
        var generator = new SyntheticGenerator(SyntheticSettings.Classic with { Count = 10_000, FraudRate = 0.01, MeanGapSeconds = 36 });
        var events = Enumerable.Range(0, 10_000).Select(_ => generator.Next().Transaction.EventTime).ToList();
        var span = (events[^1] - events[0]).TotalSeconds;
        Assert.InRange(span / 10_000, 33, 39);
    }

    [Theory]
    [InlineData("card_testing=0.3,account_takeover=0.2,stolen_card_abroad=0.2,merchant_compromise=0.15,bust_out=0.15", true)]
    [InlineData("bust_out=2", true)]
    [InlineData("card_testing=1,nonsense=1", false)]
    [InlineData("card_testing=-1", false)]
    [InlineData("card_testing=0", false)]
    [InlineData("card_testing", false)]
    public void Scenario_mix_parses_names_and_weights(string text, bool valid)
    {
        Assert.Equal(valid, ScenarioMix.TryParse(text, out var mix, out var error));
        Assert.Equal(valid, error.Length == 0);
        if (valid)
        {
            Assert.True(mix.Weights.Sum() > 0);
        }
    }

    private static string ContractJsonText(Transaction tx) => System.Text.Encoding.UTF8.GetString(ContractJson.Serialize(tx));
}
