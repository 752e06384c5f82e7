using System.Globalization;
using System.Text.Json;

namespace Fraud.Streaming.Shared.Features.Vocabularies;

/// <summary>
/// How an attribute's JSON value becomes the raw value an encoding slot holds (<see cref="EncodingLayout"/>). One
/// function per kind, used by every path (the scorer's parsed transactions, the trainer's files and Postgres
/// <c>jsonb</c>), so they agree bit for bit.
/// </summary>
public static class AttributeValues
{
    /// <summary>A numeric slot without a number (a NaN no arithmetic produces).</summary>
    public const ulong MissingNumber = 0x7FF8_0000_0000_0BADul;

    private static readonly ulong TrueKey = ValueKey.Of("true");
    private static readonly ulong FalseKey = ValueKey.Of("false");

    /// <summary>
    /// A numeric slot: a JSON number as it is, text that reads as a number (invariant culture), true 1, false 0; anything
    /// else (null, other text, objects, non-finite values) is <see cref="MissingNumber"/>.
    /// </summary>
    public static ulong Numeric(JsonElement value)
    {
        double number;
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetDouble(out number):
            case JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number):
                break;
            case JsonValueKind.True:
                number = 1;
                break;
            case JsonValueKind.False:
                number = 0;
                break;
            default:
                return MissingNumber;
        }
        return double.IsFinite(number) ? BitConverter.DoubleToUInt64Bits(number) : MissingNumber;
    }

    /// <summary>The feature value of a numeric slot: the number as float32, or <paramref name="fallback"/> when missing.</summary>
    public static float NumericFeature(ulong slot, float fallback) =>
        slot == MissingNumber ? fallback : (float)BitConverter.UInt64BitsToDouble(slot);

    /// <summary>
    /// A categorical slot: the <see cref="ValueKey"/> of <see cref="CategoricalText"/>; <see cref="ValueKey.Missing"/>
    /// when there is no text.
    /// </summary>
    public static ulong Categorical(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => ValueKey.Of(value.GetString()),
        JsonValueKind.True => TrueKey,
        JsonValueKind.False => FalseKey,
        JsonValueKind.Number => ValueKey.Of(CategoricalText(value)),
        _ => ValueKey.Missing,
    };

    /// <summary>
    /// The text a categorical value stands for: a string as it is, a number in shortest round-trip form ("1.5", "87"),
    /// <c>true</c>/<c>false</c>; null for anything else.
    /// </summary>
    public static string? CategoricalText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.TryGetDouble(out var number) ? number.ToString("R", CultureInfo.InvariantCulture) : value.GetRawText(),
        _ => null,
    };
}
