using Fraud.Streaming.DataSets.Synthetic;

namespace Fraud.Streaming.Producer.Tests;

public sealed class SyntheticGeneratorTests
{
    [Theory]
    [InlineData(0.01, 100_000, 0.003)]
    [InlineData(0.05, 50_000, 0.01)]
    public void Fraud_rate_is_close_to_the_requested_rate(double rate, int count, double tolerance)
    {
        var generator = new SyntheticGenerator(new SyntheticSettings { Count = count, FraudRate = rate, Seed = 3 });
        var fraud = 0;
        for (var i = 0; i < count; i++)
        {
            if (generator.Next().Label.IsFraud)
            {
                fraud++;
            }
        }
        Assert.InRange(fraud / (double)count, rate - tolerance, rate + tolerance);
    }

    [Fact]
    public void No_fraud_when_the_rate_is_zero()
    {
        var generator = new SyntheticGenerator(new SyntheticSettings { Count = 20_000, FraudRate = 0 });
        for (var i = 0; i < 20_000; i++)
        {
            Assert.False(generator.Next().Label.IsFraud);
        }
    }

    [Fact]
    public void Fraud_follows_learnable_patterns()
    {
        // The classic world: in the hard one, genuine look-alikes (travel, new phones) break these contrasts on purpose.
        var settings = SyntheticSettings.Classic with { Count = 200_000, FraudRate = 0.02, Seed = 11 };
        var generator = new SyntheticGenerator(settings);
        var knownDevices = new HashSet<string>(StringComparer.Ordinal);
        foreach (var card in generator.World.Cards)
        {
            knownDevices.UnionWith(card.Devices);
        }
        var cards = generator.World.Cards.ToDictionary(c => c.Id, StringComparer.Ordinal);

        int tinyProbes = 0, cardTesting = 0, takeover = 0, takeoverAbroadOnNewDevice = 0, takeoverHigh = 0, legitHighAbroad = 0, legit = 0;
        for (var i = 0; i < settings.Count; i++)
        {
            var (tx, label, _) = generator.Next();
            var card = cards[tx.CardId];
            switch (label.Scenario)
            {
                case FraudScenarios.CardTesting:
                    cardTesting++;
                    if (tx.Amount < 3.01 && tx.Channel == "online")
                    {
                        tinyProbes++;
                    }
                    break;
                case FraudScenarios.AccountTakeover:
                    takeover++;
                    if (tx.Country != card.HomeCountry && tx.DeviceId is not null && !knownDevices.Contains(tx.DeviceId))
                    {
                        takeoverAbroadOnNewDevice++;
                    }
                    if (tx.Amount >= 4 * card.TypicalAmount)
                    {
                        takeoverHigh++;
                    }
                    break;
                case null:
                    legit++;
                    if (tx.Country != card.HomeCountry && tx.Amount >= 4 * card.TypicalAmount)
                    {
                        legitHighAbroad++;
                    }
                    Assert.True(tx.DeviceId is null || knownDevices.Contains(tx.DeviceId));
                    break;
            }
        }

        Assert.True(cardTesting > 100 && takeover > 100, $"card_testing={cardTesting} account_takeover={takeover}");
        Assert.InRange(tinyProbes / (double)cardTesting, 0.65, 0.9);
        Assert.Equal(takeover, takeoverAbroadOnNewDevice);
        Assert.Equal(takeover, takeoverHigh);
        Assert.True(legitHighAbroad / (double)legit < 0.002, $"legit high amounts abroad: {legitHighAbroad}");
    }

    [Fact]
    public void A_compromised_merchant_sees_weeks_of_ordinary_looking_fraud_at_that_merchant()
    {
        var settings = new SyntheticSettings { Count = 150_000, FraudRate = 0.01, Seed = 5, SpanDays = 90, Mix = ScenarioMix.Only(FraudScenarios.CompromisedMerchant) };
        var generator = new SyntheticGenerator(settings);
        var cards = generator.World.Cards.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var fraud = new List<Shared.Contracts.Transaction>();
        var legitAt = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < settings.Count; i++)
        {
            var e = generator.Next();
            if (e.Label.Scenario == FraudScenarios.CompromisedMerchant)
            {
                fraud.Add(e.Transaction);
            }
            else
            {
                legitAt[e.Transaction.MerchantId] = legitAt.GetValueOrDefault(e.Transaction.MerchantId) + 1;
            }
        }
        Assert.InRange(fraud.Count / (double)settings.Count, 0.006, 0.014);
        // Fraud concentrates at few merchants, for weeks each, at amounts the cards spend anyway.
        var byMerchant = fraud.GroupBy(t => t.MerchantId).ToList();
        Assert.True(byMerchant.Count < fraud.Count / 5, $"{byMerchant.Count} merchants for {fraud.Count} frauds");
        Assert.Contains(byMerchant, g => (g.Max(t => t.EventTime) - g.Min(t => t.EventTime)).TotalDays > 10);
        Assert.True(byMerchant.Average(g => (g.Max(t => t.EventTime) - g.Min(t => t.EventTime)).TotalDays) < 36);
        Assert.True(fraud.Count(t => t.Amount <= 2.5 * cards[t.CardId].TypicalAmount) > 0.8 * fraud.Count);
        // A share of the compromised merchant's transactions, not all of them.
        var busiest = byMerchant.OrderByDescending(g => g.Count()).First();
        Assert.True(legitAt.GetValueOrDefault(busiest.Key) > 0);
    }

    [Fact]
    public void An_amount_scale_shifts_every_amount_and_an_id_prefix_renames_the_ids_of_the_same_world()
    {
        var plain = new SyntheticGenerator(new SyntheticSettings { Count = 2_000, Seed = 4 });
        var scaled = new SyntheticGenerator(new SyntheticSettings { Count = 2_000, Seed = 4, AmountScale = 3, IdPrefix = "shifted-" });
        for (var i = 0; i < 2_000; i++)
        {
            var (a, b) = (plain.Next(), scaled.Next());
            Assert.Equal(a.Transaction.TransactionId.Replace("tx-4-", "shifted-", StringComparison.Ordinal), b.Transaction.TransactionId);
            Assert.Equal(a.Transaction with { Amount = 0, TransactionId = "" }, b.Transaction with { Amount = 0, TransactionId = "" });
            // Both amounts are rounded to cents after scaling: three times the rounded one is within 1.5 cents.
            Assert.Equal(a.Transaction.Amount * 3, b.Transaction.Amount, 0.0151);
            Assert.Equal(a.Label with { TransactionId = "" }, b.Label with { TransactionId = "" });
        }
    }

    [Fact]
    public void A_scenario_set_to_start_later_does_not_happen_before_its_date()
    {
        var from = SyntheticSettings.DefaultStart.AddDays(30);
        var settings = new SyntheticSettings
        {
            Count = 60_000, FraudRate = 0.02, Seed = 9, SpanDays = 60,
            ScenarioFrom = new Dictionary<string, DateTimeOffset> { [FraudScenarios.CardTesting] = from },
        };
        var generator = new SyntheticGenerator(settings);
        var testing = new List<DateTimeOffset>();
        var others = 0;
        for (var i = 0; i < settings.Count; i++)
        {
            var e = generator.Next();
            if (e.Label.Scenario == FraudScenarios.CardTesting)
            {
                testing.Add(e.Transaction.EventTime);
            }
            else if (e.Label.IsFraud && e.Transaction.EventTime < from)
            {
                others++;
            }
        }
        Assert.NotEmpty(testing);
        Assert.All(testing, t => Assert.True(t >= from, $"card testing at {t:O}"));
        Assert.True(others > 50, $"only {others} other frauds before the date");
    }

    [Fact]
    public void The_feed_carries_fraud_reports_and_reviews_and_the_transactions_do_not_depend_on_it()
    {
        // The classic world reports every fraud; the hard world's unreported share has its own test.
        var reports = new SyntheticGenerator(SyntheticSettings.Classic with { Count = 30_000, Seed = 4, ReviewRate = 0.02 });
        var all = new SyntheticGenerator(SyntheticSettings.Classic with { Count = 30_000, Seed = 4, Labels = LabelMode.All });
        int published = 0, fraud = 0, reviews = 0;
        for (var i = 0; i < 30_000; i++)
        {
            var a = reports.Next();
            var b = all.Next();
            Assert.Equal(a.Transaction, b.Transaction);
            Assert.True(b.Published);
            if (!a.Published)
            {
                Assert.False(a.Label.IsFraud); // every fraud is reported
                continue;
            }
            published++;
            fraud += a.Label.IsFraud ? 1 : 0;
            if (a.Label.Source == FraudScenarios.ReviewSource)
            {
                reviews++;
                Assert.False(a.Label.IsFraud);
                Assert.InRange((a.Label.LabelledAt - a.Transaction.EventTime).TotalHours, 24, 72);
            }
        }
        Assert.Equal(published, fraud + reviews);
        Assert.InRange(reviews / 30_000.0, 0.015, 0.025);
        Assert.True(fraud > 100);
    }
}
