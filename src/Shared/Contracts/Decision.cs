using System.Text.Json.Serialization;

namespace Fraud.Streaming.Shared.Contracts;

/// <summary>What the business does with a transaction.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Decision>))]
public enum Decision
{
    [JsonStringEnumMemberName("approve")] Approve,
    [JsonStringEnumMemberName("review")] Review,
    [JsonStringEnumMemberName("decline")] Decline,
}
