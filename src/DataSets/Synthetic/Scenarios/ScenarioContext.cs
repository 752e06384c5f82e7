namespace Fraud.Streaming.DataSets.Synthetic.Scenarios;

/// <summary>What a scenario may use: the world, the one random stream, the schedule, and the shared ways to pick things.</summary>
public sealed class ScenarioContext(SyntheticSettings settings, Random random, SyntheticWorld world, double meanGapMs, Action<Draft> schedule)
{
    public const long MsPerMinute = 60_000;
    public const long MsPerHour = 60 * MsPerMinute;
    public const long MsPerDay = 24 * MsPerHour;

    public SyntheticSettings Settings { get; } = settings;
    public Random Random { get; } = random;
    public SyntheticWorld World { get; } = world;

    /// <summary>Mean event-time gap between transactions of the whole world.</summary>
    public double MeanGapMs { get; } = meanGapMs;

    public void Schedule(Draft draft) => schedule(draft);

    /// <summary>Milliseconds since the world's start at which the UTC day of <paramref name="timeMs"/> began.</summary>
    public long DayStartMs(long timeMs) => timeMs - (((Settings.Start.TimeOfDay.Ticks / TimeSpan.TicksPerMillisecond) + timeMs) % MsPerDay);

    /// <summary>A legitimate purchase of the card at the merchant, as the card's habits make it.</summary>
    public Draft LegitAt(long timeMs, int cardIndex, int merchantIndex, bool travelling)
    {
        var card = World.Cards[cardIndex];
        var merchant = World.Merchants[merchantIndex];

        // At home a card only pays a foreign merchant online; in person abroad means travelling.
        var online = merchant.Online
            || (!travelling && merchant.Country != card.HomeCountry)
            || (!travelling && Random.NextDouble() < card.OnlineShare * 0.3);
        var factor = WorldCatalog.CategoryAmountFactor[WorldCatalog.IndexOfCategory(merchant.Category)];
        var amount = Math.Exp(card.AmountMu + (card.AmountSigma * SyntheticWorld.Gaussian(Random))) * factor;
        return new Draft(
            timeMs,
            cardIndex,
            merchantIndex,
            Math.Max(0.5, amount),
            online ? card.HomeCountry : merchant.Country,
            online ? "online" : Random.NextDouble() < 0.6 ? "contactless" : "pos",
            online ? card.Devices[Random.Next(card.Devices.Length)] : null,
            online ? card.Ip : null,
            null);
    }

    public int NewMerchantFor(CardProfile card)
    {
        var merchant = Random.Next(World.Merchants.Count);
        for (var attempt = 0; attempt < 3 && Array.IndexOf(card.PreferredMerchants, merchant) >= 0; attempt++)
        {
            merchant = Random.Next(World.Merchants.Count);
        }
        return merchant;
    }

    public int PickMerchantOfCategory(string category)
    {
        // A bounded search keeps this deterministic and cheap even when the category is rare.
        var merchant = Random.Next(World.Merchants.Count);
        for (var attempt = 0; attempt < 20 && World.Merchants[merchant].Category != category; attempt++)
        {
            merchant = Random.Next(World.Merchants.Count);
        }
        return merchant;
    }

    public string ForeignCountryFor(CardProfile card)
    {
        if (Random.NextDouble() < 0.7)
        {
            return WorldCatalog.FraudCountries[Random.Next(WorldCatalog.FraudCountries.Length)];
        }
        var country = WorldCatalog.HomeCountries[Random.Next(WorldCatalog.HomeCountries.Length)];
        return country == card.HomeCountry ? WorldCatalog.FraudCountries[0] : country;
    }
}
