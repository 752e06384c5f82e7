using System.Text.Json;

namespace Fraud.Streaming.Shared.Contracts;

/// <summary>A card transaction as published on <c>fraud.transactions</c> (contract v1, key = <c>card_id</c>).</summary>
public sealed record Transaction
{
    /// <summary>The only schema version this build understands.</summary>
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required string TransactionId { get; init; }
    public required DateTimeOffset EventTime { get; init; }
    public required string CardId { get; init; }
    public required string MerchantId { get; init; }
    public required string MerchantCategory { get; init; }
    public required double Amount { get; init; }
    public required string Currency { get; init; }
    public required string Country { get; init; }
    public required string Channel { get; init; }
    public string? DeviceId { get; init; }
    public string? Ip { get; init; }
    public string? EmailDomain { get; init; }

    /// <summary>Dataset-specific columns (e.g. IEEE-CIS V-columns) carried through untouched.</summary>
    public Dictionary<string, JsonElement>? Attributes { get; init; }
}
