using Fraud.Streaming.DataSets.Synthetic.Scenarios;

namespace Fraud.Streaming.DataSets.Synthetic.Behaviours;

/// <summary>
/// The cardholder travels for three to ten days: two to four purchases a day in person in another country (now and then
/// one where stolen cards are also used), at merchants the card has never used, amounts a little above usual.
/// </summary>
public sealed class TravelAbroad : IGenuineBehaviour
{
    public string Name => "travel_abroad";

    public double ExpectedTransactions => 6.5 * 3;

    public void Schedule(ScenarioContext context, long startMs, int cardIndex)
    {
        var random = context.Random;
        var card = context.World.Cards[cardIndex];
        var country = random.NextDouble() < 0.25
            ? WorldCatalog.FraudCountries[random.Next(WorldCatalog.FraudCountries.Length)]
            : WorldCatalog.HomeCountries[random.Next(WorldCatalog.HomeCountries.Length)];
        if (country == card.HomeCountry)
        {
            country = WorldCatalog.FraudCountries[random.Next(WorldCatalog.FraudCountries.Length)];
        }
        var days = 3 + random.Next(8);
        for (var day = 0; day < days; day++)
        {
            var purchases = 2 + random.Next(3);
            for (var i = 0; i < purchases; i++)
            {
                var t = startMs + (day * ScenarioContext.MsPerDay) + (long)((8 + (random.NextDouble() * 14)) * ScenarioContext.MsPerHour);
                var merchant = context.NewMerchantFor(card);
                var channel = random.NextDouble() < 0.5 ? "pos" : "contactless";
                var amount = card.TypicalAmount * (0.6 + (random.NextDouble() * 2.4));
                context.Schedule(new Draft(t, cardIndex, merchant, amount, country, channel, null, null, null));
            }
        }
    }
}
