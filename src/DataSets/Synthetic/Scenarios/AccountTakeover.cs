namespace Fraud.Streaming.DataSets.Synthetic.Scenarios;

/// <summary>A foreign device, usually at night, amounts far above the card's usual.</summary>
public sealed class AccountTakeover : IFraudScenario
{
    public string Name => FraudScenarios.AccountTakeover;

    public double ExpectedFraud(ScenarioContext context) => 2; // 1-3 purchases

    public double ExpectedLegit(ScenarioContext context) => 0;

    public void Schedule(ScenarioContext context, long startMs, int cardIndex, string device, string ip)
    {
        var random = context.Random;
        var card = context.World.Cards[cardIndex];
        var country = context.ForeignCountryFor(card);
        long t;
        if (random.NextDouble() < 0.7)
        {
            t = context.DayStartMs(startMs) + (long)(random.NextDouble() * 5 * ScenarioContext.MsPerHour);
            if (t < startMs)
            {
                t += ScenarioContext.MsPerDay;
            }
        }
        else
        {
            t = startMs + (long)(random.NextDouble() * 2 * ScenarioContext.MsPerHour);
        }
        var count = 1 + random.Next(3);
        for (var i = 0; i < count; i++)
        {
            var category = WorldCatalog.Categories[random.NextDouble() < 0.5 ? 5 : random.Next(WorldCatalog.Categories.Length)];
            var merchant = context.PickMerchantOfCategory(category);
            context.Schedule(new Draft(t, cardIndex, merchant, card.TypicalAmount * (4 + (random.NextDouble() * 11)), country, "online", device, ip, Name));
            t += (2 * ScenarioContext.MsPerMinute) + random.Next((int)(28 * ScenarioContext.MsPerMinute));
        }
    }
}
