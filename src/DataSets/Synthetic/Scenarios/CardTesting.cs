namespace Fraud.Streaming.DataSets.Synthetic.Scenarios;

/// <summary>Cheap online probes at merchants the card has never used, then one large cash-out.</summary>
public sealed class CardTesting : IFraudScenario
{
    public string Name => FraudScenarios.CardTesting;

    public double ExpectedFraud(ScenarioContext context) => 5.5; // 3-6 probes and the cash-out

    public double ExpectedLegit(ScenarioContext context) => 0;

    public void Schedule(ScenarioContext context, long startMs, int cardIndex, string device, string ip)
    {
        var random = context.Random;
        var card = context.World.Cards[cardIndex];
        var t = startMs;
        var probes = 3 + random.Next(4);
        for (var i = 0; i < probes; i++)
        {
            t += 5_000 + random.Next(85_000);
            var merchant = context.NewMerchantFor(card);
            context.Schedule(new Draft(t, cardIndex, merchant, 0.5 + (random.NextDouble() * 2.5), card.HomeCountry, "online", device, ip, Name));
        }
        t += ScenarioContext.MsPerMinute + random.Next((int)(9 * ScenarioContext.MsPerMinute));
        var big = context.PickMerchantOfCategory(random.NextDouble() < 0.5 ? "electronics" : "jewelry");
        context.Schedule(new Draft(t, cardIndex, big, card.TypicalAmount * (8 + (random.NextDouble() * 17)), card.HomeCountry, "online", device, ip, Name));
    }
}
