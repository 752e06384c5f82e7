using System.Globalization;

namespace Fraud.Streaming.DataSets.Synthetic;

/// <summary>Cards and merchants, built once from the seed; the generator draws traffic from them.</summary>
public sealed class SyntheticWorld
{
    private readonly double[] _cardCumulativeWeight;

    public IReadOnlyList<CardProfile> Cards { get; }
    public IReadOnlyList<Merchant> Merchants { get; }

    /// <summary>Merchant indices per country, so a card mostly shops at home.</summary>
    public IReadOnlyDictionary<string, int[]> MerchantsByCountry { get; }

    private SyntheticWorld(CardProfile[] cards, double[] cumulative, Merchant[] merchants, Dictionary<string, int[]> byCountry)
    {
        Cards = cards;
        _cardCumulativeWeight = cumulative;
        Merchants = merchants;
        MerchantsByCountry = byCountry;
    }

    public static SyntheticWorld Create(SyntheticSettings settings, Random random)
    {
        var merchants = new Merchant[settings.Merchants];
        var byCountry = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < merchants.Length; i++)
        {
            var category = WorldCatalog.Categories[random.Next(WorldCatalog.Categories.Length)];
            var country = Pick(random, WorldCatalog.HomeCountries, WorldCatalog.HomeCountryWeights);
            var online = category == "digital_goods" || random.NextDouble() < 0.25;
            merchants[i] = new Merchant(string.Create(CultureInfo.InvariantCulture, $"merch-{i:D5}"), category, country, online);
            if (!byCountry.TryGetValue(country, out var list))
            {
                byCountry[country] = list = [];
            }
            list.Add(i);
        }
        var merchantsByCountry = byCountry.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);

        var cards = new CardProfile[settings.Cards];
        var cumulative = new double[settings.Cards];
        var total = 0.0;
        for (var i = 0; i < cards.Length; i++)
        {
            var home = Pick(random, WorldCatalog.HomeCountries, WorldCatalog.HomeCountryWeights);
            var mu = Math.Log(15 + (random.NextDouble() * 105));
            var sigma = 0.4 + (random.NextDouble() * 0.4);
            var preferred = new int[8 + random.Next(13)];
            merchantsByCountry.TryGetValue(home, out var local);
            for (var p = 0; p < preferred.Length; p++)
            {
                preferred[p] = local is { Length: > 0 } && random.NextDouble() < 0.9
                    ? local[random.Next(local.Length)]
                    : random.Next(merchants.Length);
            }
            var devices = new string[random.NextDouble() < 0.35 ? 2 : 1];
            for (var d = 0; d < devices.Length; d++)
            {
                devices[d] = string.Create(CultureInfo.InvariantCulture, $"dev-{i:D6}-{d}");
            }
            var from = 6 + random.Next(4);
            var to = 20 + random.Next(4);
            var ip = string.Create(CultureInfo.InvariantCulture, $"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}");
            cards[i] = new CardProfile(
                string.Create(CultureInfo.InvariantCulture, $"card-{i:D6}"),
                home,
                WorldCatalog.CurrencyOf(home),
                mu,
                sigma,
                preferred,
                devices,
                from,
                to,
                0.1 + (random.NextDouble() * 0.4),
                WorldCatalog.EmailDomains[random.Next(WorldCatalog.EmailDomains.Length)],
                ip);
            // Activity is skewed: a few cards transact far more often than most (log-normal weights).
            total += Math.Exp(Gaussian(random) * 0.7);
            cumulative[i] = total;
        }
        if (!settings.Realism.IsNone)
        {
            ApplyRealism(settings, cards, cumulative);
        }
        return new SyntheticWorld(cards, cumulative, merchants, merchantsByCountry);
    }

    /// <summary>
    /// Night owls and a wider spread of activity, drawn from a random stream of their own, so the rest of the world is
    /// the classic one card for card.
    /// </summary>
    private static void ApplyRealism(SyntheticSettings settings, CardProfile[] cards, double[] cumulative)
    {
        var random = new Random(unchecked((settings.Seed * 7919) + 101));
        var realism = settings.Realism;
        var total = 0.0;
        for (var i = 0; i < cards.Length; i++)
        {
            if (random.NextDouble() < realism.NightOwlShare)
            {
                cards[i] = cards[i] with { ActiveFromHour = 17 + random.Next(4), ActiveToHour = 2 + random.Next(3) };
            }
            if (realism.ActivitySpread > 0)
            {
                total += Math.Exp(Gaussian(random) * realism.ActivitySpread);
                cumulative[i] = total;
            }
        }
    }

    /// <summary>A card picked in proportion to its activity.</summary>
    public int PickCard(Random random)
    {
        var target = random.NextDouble() * _cardCumulativeWeight[^1];
        var index = Array.BinarySearch(_cardCumulativeWeight, target);
        return index >= 0 ? index : Math.Min(~index, _cardCumulativeWeight.Length - 1);
    }

    public int PickMerchantIn(Random random, string country)
    {
        return MerchantsByCountry.TryGetValue(country, out var local) && local.Length > 0
            ? local[random.Next(local.Length)]
            : random.Next(Merchants.Count);
    }

    public static double Gaussian(Random random)
    {
        // Box-Muller; 1 - NextDouble() keeps the logarithm's argument above zero.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static string Pick(Random random, string[] values, double[] weights)
    {
        var target = random.NextDouble();
        for (var i = 0; i < values.Length; i++)
        {
            target -= weights[i];
            if (target < 0)
            {
                return values[i];
            }
        }
        return values[^1];
    }
}
