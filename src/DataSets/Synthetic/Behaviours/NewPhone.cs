using System.Globalization;
using Fraud.Streaming.DataSets.Synthetic.Scenarios;

namespace Fraud.Streaming.DataSets.Synthetic.Behaviours;

/// <summary>
/// The cardholder gets a new phone: one of the card's devices is replaced for good (later online purchases use it),
/// and the first days bring a few online purchases from it, often at night while setting things up.
/// </summary>
public sealed class NewPhone : IGenuineBehaviour
{
    public string Name => "new_phone";

    public double ExpectedTransactions => 3;

    public void Schedule(ScenarioContext context, long startMs, int cardIndex)
    {
        var random = context.Random;
        var card = context.World.Cards[cardIndex];
        // Named by card and time, not by a counter: the behaviour is shared by every generator, and the world must not depend on how many ran before.
        var device = string.Create(CultureInfo.InvariantCulture, $"dev-{cardIndex:D6}-n{startMs / 1000}");
        card.Devices[random.Next(card.Devices.Length)] = device;
        var count = 2 + random.Next(3);
        for (var i = 0; i < count; i++)
        {
            var t = startMs + (long)(random.NextDouble() * 2 * ScenarioContext.MsPerDay);
            var merchant = random.NextDouble() < 0.5 ? card.PreferredMerchants[random.Next(card.PreferredMerchants.Length)] : context.NewMerchantFor(card);
            var amount = card.TypicalAmount * (0.4 + (random.NextDouble() * 1.8));
            context.Schedule(new Draft(t, cardIndex, merchant, amount, card.HomeCountry, "online", device, card.Ip, null));
        }
    }
}
