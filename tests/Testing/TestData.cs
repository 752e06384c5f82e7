using System.Globalization;
using System.Text;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Testing;

/// <summary>Deterministic synthetic transactions and a few malformed lines.</summary>
public static class TestData
{
    private static readonly string[] Countries = ["US", "GB", "DE", "FR", "BR"];
    private static readonly string[] Channels = ["pos", "online", "ecom", "atm"];

    public static List<Transaction> Transactions(int count, int cards = 40, int seed = 1, string prefix = "tx")
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var list = new List<Transaction>(count);
        var time = start;
        for (var i = 0; i < count; i++)
        {
            time = time.AddSeconds(random.Next(1, 600));
            var card = random.Next(cards);
            // Log-uniform amounts from 1 to about 3000: every decision band gets traffic.
            var amount = Math.Round(Math.Exp(random.NextDouble() * 8), 2);
            list.Add(new Transaction
            {
                TransactionId = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i:D7}"),
                EventTime = time,
                CardId = string.Create(CultureInfo.InvariantCulture, $"card-{card:D4}"),
                MerchantId = string.Create(CultureInfo.InvariantCulture, $"m-{random.Next(30)}"),
                MerchantCategory = "5411",
                Amount = amount,
                Currency = "USD",
                Country = Countries[random.Next(Countries.Length)],
                Channel = Channels[random.Next(Channels.Length)],
                DeviceId = random.Next(4) == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"dev-{card}-{random.Next(2)}"),
            });
        }
        return list;
    }

    /// <summary>Malformed lines and the reject code each must get.</summary>
    public static readonly (string Line, string Code)[] Malformed =
    [
        ("this is not json", "bad_json"),
        ("{}", "missing_field"),
        ("""{"schema_version":1,"transaction_id":"bad-amount","event_time":"2024-03-01T00:00:00Z","card_id":"c","merchant_id":"m","merchant_category":"1","amount":-5,"currency":"USD","country":"US","channel":"pos"}""", "invalid_amount"),
        ("""{"schema_version":9,"transaction_id":"bad-version","event_time":"2024-03-01T00:00:00Z","card_id":"c","merchant_id":"m","merchant_category":"1","amount":5,"currency":"USD","country":"US","channel":"pos"}""", "unsupported_schema_version"),
        ("""{"schema_version":1,"transaction_id":"bad-time","event_time":"yesterday","card_id":"c","merchant_id":"m","merchant_category":"1","amount":5,"currency":"USD","country":"US","channel":"pos"}""", "invalid_event_time"),
    ];

    public static string Jsonl(IEnumerable<Transaction> transactions)
    {
        var text = new StringBuilder();
        foreach (var t in transactions)
        {
            text.Append(Encoding.UTF8.GetString(ContractJson.Serialize(t))).Append('\n');
        }
        return text.ToString();
    }
}
