using Fraud.Streaming.DataSets.Synthetic.Scenarios;

namespace Fraud.Streaming.DataSets.Synthetic.Behaviours;

/// <summary>
/// An online shopping spree: four to ten purchases within an hour or two at merchants the card has never used, from
/// the card's own device, some of them small (a sale, digital goods) — the shape of card testing, by the cardholder.
/// </summary>
public sealed class OnlineSpree : IGenuineBehaviour
{
    public string Name => "online_spree";

    public double ExpectedTransactions => 7;

    public void Schedule(ScenarioContext context, long startMs, int cardIndex)
    {
        var random = context.Random;
        var card = context.World.Cards[cardIndex];
        var device = card.Devices[random.Next(card.Devices.Length)];
        var t = startMs;
        var count = 4 + random.Next(7);
        for (var i = 0; i < count; i++)
        {
            t += ScenarioContext.MsPerMinute + random.Next((int)(15 * ScenarioContext.MsPerMinute));
            var merchant = context.NewMerchantFor(card);
            var amount = random.NextDouble() < 0.3 ? 1 + (random.NextDouble() * 9) : card.TypicalAmount * (0.3 + (random.NextDouble() * 1.5));
            context.Schedule(new Draft(t, cardIndex, merchant, amount, card.HomeCountry, "online", device, card.Ip, null));
        }
    }
}
