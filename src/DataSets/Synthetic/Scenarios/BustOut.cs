namespace Fraud.Streaming.DataSets.Synthetic.Scenarios;

/// <summary>The cardholder's own device and country: purchases grow step by step over a day or two, then stop.</summary>
public sealed class BustOut : IFraudScenario
{
    public string Name => FraudScenarios.BustOut;

    public double ExpectedFraud(ScenarioContext context) => 4.5; // 3-6 purchases

    public double ExpectedLegit(ScenarioContext context) => 0;

    public void Schedule(ScenarioContext context, long startMs, int cardIndex, string device, string ip)
    {
        var random = context.Random;
        var card = context.World.Cards[cardIndex];
        var ownDevice = card.Devices[random.Next(card.Devices.Length)];
        var t = startMs;
        var factor = 1.5 + random.NextDouble();
        var count = 3 + random.Next(4);
        for (var i = 0; i < count; i++)
        {
            var merchant = context.PickMerchantOfCategory(random.NextDouble() < 0.5 ? "electronics" : "jewelry");
            context.Schedule(new Draft(t, cardIndex, merchant, card.TypicalAmount * factor, card.HomeCountry, "online", ownDevice, card.Ip, Name));
            factor *= 1.3 + (random.NextDouble() * 0.5);
            t += (2 * ScenarioContext.MsPerHour) + random.Next((int)(8 * ScenarioContext.MsPerHour));
        }
    }
}
