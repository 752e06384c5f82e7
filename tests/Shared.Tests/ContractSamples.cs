using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Features.Vocabularies;

namespace Fraud.Streaming.Shared.Tests;

internal static class ContractSamples
{
    public static Transaction Transaction(string id = "tx-1", string card = "card-1", double amount = 42.5, DateTimeOffset? at = null, string country = "FR", string? device = "dev-1", string merchant = "m-1", string channel = "pos") => new()
    {
        TransactionId = id,
        EventTime = at ?? new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        CardId = card,
        MerchantId = merchant,
        MerchantCategory = "grocery",
        Amount = amount,
        Currency = "EUR",
        Country = country,
        Channel = channel,
        DeviceId = device,
        Ip = "10.0.0.1",
        EmailDomain = "example.org",
        Attributes = new() { ["V1"] = System.Text.Json.JsonDocument.Parse("1.5").RootElement },
    };

    public static Label Label() => new()
    {
        TransactionId = "tx-1",
        CardId = "card-1",
        IsFraud = true,
        LabelledAt = new DateTimeOffset(2026, 1, 20, 0, 0, 0, TimeSpan.Zero),
        Source = "chargeback",
        Scenario = "card_testing",
    };

    public static Verdict Verdict() => new()
    {
        TransactionId = "tx-1",
        CardId = "card-1",
        EventTime = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Score = 0.73f,
        Decision = Decision.Review,
        ModelVersion = "v1",
        Reasons = [new Reason("amount_log", 6.1f, 4.2f)],
        ScoredAt = new DateTimeOffset(2026, 1, 2, 3, 4, 6, TimeSpan.Zero),
        LatencyMs = 3.5,
    };

    /// <summary>A small learned encoding: vocabularies for every field, one numeric and one categorical attribute.</summary>
    public static FeatureEncoding Encoding() => new(
        [new Vocabulary(["ecommerce", "card_present"]), new Vocabulary(["grocery", "5411"]), new Vocabulary(["fr", "us"]),
            new Vocabulary(["eur"]), new Vocabulary(["example.org"])],
        [(new AttributeDeclaration("V1", AttributeKind.Numeric, -1f), null),
            (new AttributeDeclaration("M4", AttributeKind.Categorical, CategoricalDefault: "none"), new Vocabulary(["m0", "none"]))]);

    public static ModelManifest Manifest(string version = "v1", string? sha = null, FeatureSpec? spec = null, Thresholds? thresholds = null)
    {
        spec ??= FeatureSpec.CardV1;
        return new ModelManifest
        {
            ModelName = "fraud-gbdt",
            Version = version,
            CreatedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            ArtifactUri = "file:///models/fraud-gbdt/v1/model.onnx",
            ArtifactSha256 = sha ?? new string('a', 64),
            FeatureSpec = new FeatureSpecInfo(spec.Name, spec.Hash, spec.Names) { Encoding = spec.Encoding.ToInfo() },
            Thresholds = thresholds ?? new Thresholds(0.3f, 0.8f),
            Training = new TrainingLineage(new DateTimeOffset(2025, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero), 100, 3, "abc", 20),
            Algorithm = "test",
            Device = "cpu",
            CodeVersion = "test",
            Parameters = new Dictionary<string, string> { ["rounds"] = "10" },
            Metrics = new ModelMetrics(0.9, 0.5, 0.4),
            Reference = spec.Names.Select(n => new FeatureReference(n, 0f, 1f, -1f, 1f)).ToArray(),
        };
    }
}
