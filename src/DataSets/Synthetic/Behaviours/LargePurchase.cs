using Fraud.Streaming.DataSets.Synthetic.Scenarios;

namespace Fraud.Streaming.DataSets.Synthetic.Behaviours;

/// <summary>
/// The occasional large purchase: a television, a holiday, a ring — eight to twenty-five times the card's usual
/// amount, in person or online from the card's own device, at a merchant of a category where such amounts are normal.
/// </summary>
public sealed class LargePurchase : IGenuineBehaviour
{
    private static readonly string[] BigTicket = ["electronics", "travel", "jewelry", "fashion"];

    public string Name => "large_purchase";

    public double ExpectedTransactions => 1;

    public void Schedule(ScenarioContext context, long startMs, int cardIndex)
    {
        var random = context.Random;
        var card = context.World.Cards[cardIndex];
        var merchantIndex = context.PickMerchantOfCategory(BigTicket[random.Next(BigTicket.Length)]);
        var merchant = context.World.Merchants[merchantIndex];
        var amount = card.TypicalAmount * (8 + (random.NextDouble() * 17));
        var online = merchant.Online || random.NextDouble() < 0.4;
        context.Schedule(online
            ? new Draft(startMs, cardIndex, merchantIndex, amount, card.HomeCountry, "online", card.Devices[random.Next(card.Devices.Length)], card.Ip, null)
            : new Draft(startMs, cardIndex, merchantIndex, amount, merchant.Country, random.NextDouble() < 0.5 ? "pos" : "contactless", null, null, null));
    }
}
