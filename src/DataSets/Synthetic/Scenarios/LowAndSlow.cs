namespace Fraud.Streaming.DataSets.Synthetic.Scenarios;

/// <summary>
/// Low and slow: a card number sold on, used for single modest online purchases two to six days apart, from the
/// fraudster's device behind an address in the card's own country. No burst, no big amount: only the new device and
/// merchants, and time, tell.
/// </summary>
public sealed class LowAndSlow : IFraudScenario
{
    public string Name => FraudScenarios.LowAndSlow;

    public double ExpectedFraud(ScenarioContext context) => 4.5; // 3-6 purchases

    public double ExpectedLegit(ScenarioContext context) => 0;

    public void Schedule(ScenarioContext context, long startMs, int cardIndex, string device, string ip)
    {
        var random = context.Random;
        var card = context.World.Cards[cardIndex];
        var t = startMs;
        var count = 3 + random.Next(4);
        for (var i = 0; i < count; i++)
        {
            var merchant = context.NewMerchantFor(card);
            var amount = card.TypicalAmount * (0.5 + random.NextDouble());
            context.Schedule(new Draft(t, cardIndex, merchant, amount, card.HomeCountry, "online", device, ip, Name));
            t += (long)((2 + (random.NextDouble() * 4)) * ScenarioContext.MsPerDay);
        }
    }
}
