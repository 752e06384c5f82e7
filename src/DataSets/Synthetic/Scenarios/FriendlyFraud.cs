namespace Fraud.Streaming.DataSets.Synthetic.Scenarios;

/// <summary>
/// Friendly fraud: the cardholder (or someone at home) buys as the card always does (its merchants, its channels, its
/// own device when online, from home), for ordinary amounts, and later disputes the purchases. Nothing in the
/// transactions departs from the card's habits; little but the merchant's dispute history can catch it.
/// </summary>
public sealed class FriendlyFraud : IFraudScenario
{
    public string Name => FraudScenarios.FriendlyFraud;

    public double ExpectedFraud(ScenarioContext context) => 2; // 1-3 purchases

    public double ExpectedLegit(ScenarioContext context) => 0;

    public void Schedule(ScenarioContext context, long startMs, int cardIndex, string device, string ip)
    {
        var random = context.Random;
        var card = context.World.Cards[cardIndex];
        var t = startMs;
        var count = 1 + random.Next(3);
        for (var i = 0; i < count; i++)
        {
            var merchant = random.NextDouble() < 0.85 ? card.PreferredMerchants[random.Next(card.PreferredMerchants.Length)] : context.PickMerchantOfCategory("digital_goods");
            // A purchase as the cardholder makes them (channel, device, country), only disputed later.
            var purchase = context.LegitAt(t, cardIndex, merchant, travelling: false);
            context.Schedule(purchase with { Amount = card.TypicalAmount * (0.6 + (random.NextDouble() * 1.2)), Scenario = Name });
            t += (long)((2 + (random.NextDouble() * 70)) * ScenarioContext.MsPerHour);
        }
    }
}
