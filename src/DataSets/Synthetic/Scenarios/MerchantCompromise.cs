namespace Fraud.Streaming.DataSets.Synthetic.Scenarios;

/// <summary>
/// A breach: ordinary purchases by several cards at one merchant over a day or two (legitimate, labelled so); days
/// later each of those cards is used online from the fraudster's device, at high amounts, elsewhere.
/// </summary>
public sealed class MerchantCompromise : IFraudScenario
{
    public string Name => FraudScenarios.MerchantCompromise;

    public double ExpectedFraud(ScenarioContext context) => 5.5; // one per exposed card, 3-8

    public double ExpectedLegit(ScenarioContext context) => 5.5; // the exposed cards' purchases at the breached merchant

    public void Schedule(ScenarioContext context, long startMs, int cardIndex, string device, string ip)
    {
        var random = context.Random;
        var world = context.World;
        var breached = random.Next(world.Merchants.Count);
        var cards = 3 + random.Next(6);
        for (var i = 0; i < cards; i++)
        {
            var exposedIndex = world.PickCard(random);
            var card = world.Cards[exposedIndex];
            var exposedAt = startMs + (long)(random.NextDouble() * 2 * ScenarioContext.MsPerDay);
            context.Schedule(context.LegitAt(exposedAt, exposedIndex, breached, travelling: false));
            var usedAt = exposedAt + (2 * ScenarioContext.MsPerDay) + (long)(random.NextDouble() * 8 * ScenarioContext.MsPerDay);
            var merchant = context.PickMerchantOfCategory(random.NextDouble() < 0.5 ? "electronics" : "digital_goods");
            context.Schedule(new Draft(usedAt, exposedIndex, merchant, card.TypicalAmount * (3 + (random.NextDouble() * 7)), card.HomeCountry, "online", device, ip, Name));
        }
    }
}
