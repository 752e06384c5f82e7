using System.Globalization;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Parity.Tests;

/// <summary>
/// Random card histories for the parity tests. Each card's events are in history order (event time, then
/// transaction id); the arrival order interleaves cards at random, so the stream as a whole goes back in time
/// between cards, while each card's own order is the history order (as in a partition keyed by card id).
/// Event times repeat (ties broken by transaction id) and gaps range from 0 to days.
/// </summary>
internal static class ParityData
{
    private static readonly string[] Countries = ["US", "GB", "DE", "FR", "BR", "NG", "RU"];
    private static readonly string[] Channels = ["pos", "contactless", "online", "ecom", "atm", "moto", "kiosk", "ECOMMERCE", " Card_Present"];
    private static readonly string[] Categories = ["grocery", "electronics", "jewelry", "digital_goods", "travel", "5411", "7995", "6051", "misc", "Grocery "];
    private static readonly string[] Currencies = ["USD", "EUR", "usd", "BRL"];
    private static readonly string?[] EmailDomains = ["gmail.com", "example.org", "proton.me", null];
    private static readonly string[] M4 = ["M0", "M2", "m1"];

    /// <summary>
    /// The declared test attributes in every form the encoding must read alike online and offline: <c>V1</c> a number,
    /// numeric text, a boolean, junk or absent; <c>M4</c> a known or unknown text, a number, or absent (its default).
    /// </summary>
    public static Dictionary<string, System.Text.Json.JsonElement>? Attributes(Random random)
    {
        var json = random.Next(6) switch
        {
            0 => null,
            1 => $$"""{"V1": {{(random.NextDouble() * 100).ToString("R", CultureInfo.InvariantCulture)}}, "M4": "{{M4[random.Next(M4.Length)]}}"}""",
            2 => $$"""{"V1": "{{random.Next(50)}}.5", "C1": 3}""",
            3 => """{"V1": true, "M4": 2}""",
            4 => """{"V1": "n/a", "M4": null}""",
            _ => $$"""{"M4": "{{M4[random.Next(M4.Length)]}}", "other": [1, 2]}""",
        };
        return json is null ? null : System.Text.Json.JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    /// <summary>The transactions in one random arrival order.</summary>
    public static List<Transaction> Arrivals(int seed, int cards, int transactions)
    {
        var random = new Random(seed);
        // Well in the past: every consumer refuses event times beyond its clock plus Validation:MaxFutureSkew, and the
        // longest history here spans months.
        var start = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(10_000));
        var perCard = new List<Transaction>[cards];
        var clocks = new DateTimeOffset[cards];
        for (var c = 0; c < cards; c++)
        {
            perCard[c] = [];
            clocks[c] = start.AddSeconds(random.Next(0, 86_400));
        }
        for (var i = 0; i < transactions; i++)
        {
            var c = random.Next(cards);
            var gapKind = random.Next(10);
            var gapMs = gapKind switch
            {
                < 2 => 0, // a tie with the card's previous event
                < 5 => random.Next(1, 60_000),
                < 8 => random.Next(60_000, 7_200_000),
                _ => random.NextInt64(7_200_000, 10L * 86_400_000),
            };
            clocks[c] = clocks[c].AddMilliseconds(gapMs);
            var small = random.Next(6) == 0;
            perCard[c].Add(new Transaction
            {
                // Random ids, so the tie order (by id) is not the order of generation.
                TransactionId = string.Create(CultureInfo.InvariantCulture, $"s{seed}-{random.Next(1_000_000):D6}-{i}"),
                EventTime = clocks[c],
                CardId = string.Create(CultureInfo.InvariantCulture, $"s{seed}-card-{c}"),
                MerchantId = string.Create(CultureInfo.InvariantCulture, $"m-{random.Next(small ? 400 : 40)}"),
                MerchantCategory = Categories[random.Next(Categories.Length)],
                Amount = small ? Math.Round(0.5 + (random.NextDouble() * 4), 2) : Math.Round(Math.Exp(random.NextDouble() * 8), 2),
                Currency = Currencies[random.Next(Currencies.Length)],
                Country = Countries[random.Next(random.Next(3) == 0 ? Countries.Length : 2)],
                Channel = Channels[random.Next(Channels.Length)],
                DeviceId = random.Next(5) == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"dev-{c}-{random.Next(3)}"),
                EmailDomain = EmailDomains[random.Next(EmailDomains.Length)],
                Attributes = Attributes(random),
            });
        }
        foreach (var list in perCard)
        {
            list.Sort(static (a, b) =>
            {
                var byTime = a.EventTime.UtcTicks.CompareTo(b.EventTime.UtcTicks);
                return byTime != 0 ? byTime : string.CompareOrdinal(a.TransactionId, b.TransactionId);
            });
        }

        // Interleave: any card may come next, each card's own events keep their order.
        var arrivals = new List<Transaction>(transactions);
        var next = new int[cards];
        var remaining = Enumerable.Range(0, cards).Where(c => perCard[c].Count > 0).ToList();
        while (remaining.Count > 0)
        {
            var k = random.Next(remaining.Count);
            var c = remaining[k];
            arrivals.Add(perCard[c][next[c]++]);
            if (next[c] == perCard[c].Count)
            {
                remaining.RemoveAt(k);
            }
        }
        return arrivals;
    }
}
