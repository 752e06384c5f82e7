namespace Fraud.Streaming.DataSets.Synthetic.Scenarios;

/// <summary>The physical card (or a clone) used in person abroad: several shop purchases within hours, no device, no IP.</summary>
public sealed class StolenCardAbroad : IFraudScenario
{
    public string Name => FraudScenarios.StolenCardAbroad;

    public double ExpectedFraud(ScenarioContext context) => 3.5; // 2-5 purchases

    public double ExpectedLegit(ScenarioContext context) => 0;

    public void Schedule(ScenarioContext context, long startMs, int cardIndex, string device, string ip)
    {
        var random = context.Random;
        var card = context.World.Cards[cardIndex];
        var country = context.ForeignCountryFor(card);
        var t = startMs;
        var count = 2 + random.Next(4);
        for (var i = 0; i < count; i++)
        {
            var category = WorldCatalog.Categories[random.NextDouble() < 0.6 ? (random.NextDouble() < 0.5 ? 5 : 9) : 4];
            var merchant = context.PickMerchantOfCategory(category);
            var channel = random.NextDouble() < 0.5 ? "pos" : "contactless";
            context.Schedule(new Draft(t, cardIndex, merchant, card.TypicalAmount * (2 + (random.NextDouble() * 6)), country, channel, null, null, Name));
            t += (10 * ScenarioContext.MsPerMinute) + random.Next((int)(50 * ScenarioContext.MsPerMinute));
        }
    }
}
