using System.Text.Json;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Monitoring.Tests;

internal static class Samples
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    public static Transaction Transaction(string id, Dictionary<string, JsonElement>? attributes = null) => new()
    {
        TransactionId = id,
        EventTime = T0,
        CardId = "card-000001",
        MerchantId = "merch-00001",
        MerchantCategory = "grocery",
        Amount = 12.34,
        Currency = "EUR",
        Country = "DE",
        Channel = "online",
        DeviceId = "dev-000001-0",
        Attributes = attributes,
    };

    public static Verdict Verdict(string id) => new()
    {
        TransactionId = id,
        CardId = "card-000001",
        EventTime = T0,
        Score = 0.875f,
        Decision = Decision.Review,
        ModelVersion = "v1",
        Reasons = [new Reason("amount_z", 3.5f, 0.4f), new Reason("new_device", 1f, float.NaN)],
        ScoredAt = T0.AddMilliseconds(3),
        LatencyMs = 1.25,
    };

    public static Label Label(string id, bool fraud, DateTimeOffset at, string source = "chargeback") => new()
    {
        TransactionId = id,
        CardId = "card-000001",
        IsFraud = fraud,
        LabelledAt = at,
        Source = source,
        Scenario = fraud ? "card_testing" : null,
    };
}
