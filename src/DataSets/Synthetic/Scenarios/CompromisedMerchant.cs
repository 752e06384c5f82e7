namespace Fraud.Streaming.DataSets.Synthetic.Scenarios;

/// <summary>
/// A merchant's terminal is compromised for two to five weeks, starting at any time: meanwhile a share of the
/// transactions <em>at that merchant</em> are fraud, by cards of the merchant's country, in the merchant's usual
/// channel, at ordinary amounts. Nothing about the card or the transaction stands out; only
/// the merchant's fraud reports, as they come in, give it away.
/// </summary>
public sealed class CompromisedMerchant : IFraudScenario
{
    private const double MinDays = 14;
    private const double MaxDays = 35;

    /// <summary>Fraud at the merchant runs at this many times an average merchant's own rate (drawn per occurrence from 0.5 to 1.5).</summary>
    private const double MeanIntensity = 1;

    public string Name => FraudScenarios.CompromisedMerchant;

    public double ExpectedFraud(ScenarioContext context) =>
        MeanIntensity * ((MinDays + MaxDays) / 2 * ScenarioContext.MsPerDay) / MerchantGapMs(context);

    public double ExpectedLegit(ScenarioContext context) => 0;

    public void Schedule(ScenarioContext context, long startMs, int cardIndex, string device, string ip)
    {
        var random = context.Random;
        var world = context.World;
        var merchantIndex = random.Next(world.Merchants.Count);
        var merchant = world.Merchants[merchantIndex];
        var endMs = startMs + (long)((MinDays + (random.NextDouble() * (MaxDays - MinDays))) * ScenarioContext.MsPerDay);
        var gapMs = MerchantGapMs(context) / (MeanIntensity * (0.5 + random.NextDouble()));
        for (var t = startMs + (long)(-Math.Log(1 - random.NextDouble()) * gapMs); t < endMs; t += (long)(-Math.Log(1 - random.NextDouble()) * gapMs))
        {
            var victim = VictimIn(context, merchant.Country);
            var card = world.Cards[victim];
            var online = merchant.Online;
            var amount = card.TypicalAmount * (0.7 + (random.NextDouble() * 1.6));
            context.Schedule(new Draft(t, victim, merchantIndex, Math.Round(amount, 2), online ? card.HomeCountry : merchant.Country,
                online ? "online" : random.NextDouble() < 0.6 ? "contactless" : "pos",
                online ? card.Devices[random.Next(card.Devices.Length)] : null,
                online ? card.Ip : null,
                Name));
        }
    }

    /// <summary>The mean gap between transactions of an average merchant.</summary>
    private static double MerchantGapMs(ScenarioContext context) => context.MeanGapMs * context.World.Merchants.Count;

    /// <summary>A card of the merchant's country (a few tries), so the purchase is at home for the card.</summary>
    private static int VictimIn(ScenarioContext context, string country)
    {
        var card = context.World.PickCard(context.Random);
        for (var attempt = 0; attempt < 8 && context.World.Cards[card].HomeCountry != country; attempt++)
        {
            card = context.World.PickCard(context.Random);
        }
        return card;
    }
}
