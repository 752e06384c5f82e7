using Fraud.Streaming.Producer.Synthetic;

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
        var settings = new SyntheticSettings { Count = 200_000, FraudRate = 0.02, Seed = 11 };
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
            var (tx, label) = generator.Next();
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
}
