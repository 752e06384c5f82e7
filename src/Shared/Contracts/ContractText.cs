using System.Globalization;
using System.Text.Json;

namespace Fraud.Streaming.Shared.Contracts;

/// <summary>
/// The text rules every contract shares: required texts present and not blank, lengths bounded, and no character
/// PostgreSQL cannot store. System.Text.Json already refuses invalid UTF-8 and unpaired surrogate escapes; what it lets
/// through and Postgres does not is U+0000 (neither <c>text</c> nor <c>jsonb</c> holds it), and numbers beyond what
/// <c>jsonb</c>'s numeric type holds.
/// </summary>
internal static class ContractText
{
    /// <summary>Which texts may be missing or blank.</summary>
    public enum TextRule
    {
        /// <summary>Present and not blank (ids).</summary>
        Required,

        /// <summary>Present, possibly empty (codes).</summary>
        Present,

        /// <summary>Absent, or any text within the bounds.</summary>
        Optional,
    }

    /// <summary>A required text: present, not blank, at most <paramref name="maxLength"/> UTF-16 units, no NUL.</summary>
    public static bool Required(string? value, string field, int maxLength, out RejectReason reason) =>
        Text(value, TextRule.Required, field, maxLength, out reason);

    /// <summary>A text that must be there (not null), but may be empty (an unknown code): bounded, no NUL.</summary>
    public static bool Present(string? value, string field, int maxLength, out RejectReason reason) =>
        Text(value, TextRule.Present, field, maxLength, out reason);

    /// <summary>An optional text: absent, or at most <paramref name="maxLength"/> UTF-16 units with no NUL.</summary>
    public static bool Optional(string? value, string field, int maxLength, out RejectReason reason) =>
        Text(value, TextRule.Optional, field, maxLength, out reason);

    /// <summary>The text by <paramref name="rule"/>; null is missing unless the text is optional.</summary>
    public static bool Text(string? value, TextRule rule, string field, int maxLength, out RejectReason reason)
    {
        if (value is not null)
        {
            return Text(value.AsSpan(), rule, field, maxLength, out reason);
        }
        if (rule == TextRule.Optional)
        {
            reason = default;
            return true;
        }
        reason = new RejectReason(RejectCode.MissingField, $"{field} is missing");
        return false;
    }

    /// <summary>A text that is there, given as its characters, by <paramref name="rule"/>.</summary>
    public static bool Text(ReadOnlySpan<char> value, TextRule rule, string field, int maxLength, out RejectReason reason)
    {
        if (rule == TextRule.Required && value.IsWhiteSpace())
        {
            reason = new RejectReason(RejectCode.MissingField, $"{field} is empty");
            return false;
        }
        if (value.Length > maxLength)
        {
            reason = new RejectReason(RejectCode.InvalidField, string.Create(CultureInfo.InvariantCulture,
                $"{field} is {value.Length} characters long; at most {maxLength} are allowed"));
            return false;
        }
        if (value.Contains('\0'))
        {
            reason = new RejectReason(RejectCode.InvalidField, $"{field} contains U+0000, which the history database cannot store");
            return false;
        }
        reason = default;
        return true;
    }

    /// <summary>
    /// A JSON value carried into a <c>jsonb</c> column: no NUL in any string or property name, every number finite in
    /// double precision, nesting at most <paramref name="maxDepth"/> deep.
    /// </summary>
    public static bool JsonValue(JsonElement value, string field, int maxDepth, out RejectReason reason)
    {
        if (maxDepth < 0)
        {
            reason = new RejectReason(RejectCode.InvalidField, $"{field} is nested deeper than {ContractLimits.MaxAttributeDepth} levels");
            return false;
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return TryGetString(value, field, out var text, out reason) && Optional(text, field, int.MaxValue, out reason);
            case JsonValueKind.Number:
                if (!value.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    reason = new RejectReason(RejectCode.InvalidField, $"{field} is a number outside double precision");
                    return false;
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (!JsonValue(item, field, maxDepth - 1, out reason))
                    {
                        return false;
                    }
                }
                break;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    if (!TryGetName(property, field, out var name, out reason)
                        || !Optional(name, $"{field} key", ContractLimits.MaxIdLength, out reason)
                        || !JsonValue(property.Value, field, maxDepth - 1, out reason))
                    {
                        return false;
                    }
                }
                break;
            default:
                break;
        }
        reason = default;
        return true;
    }

    // A JsonElement decodes its strings when asked: an escaped unpaired surrogate deep in a value surfaces only then.
    private static bool TryGetString(JsonElement value, string field, out string? text, out RejectReason reason)
    {
        try
        {
            text = value.GetString();
            reason = default;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            reason = new RejectReason(RejectCode.InvalidField, $"{field} holds an unpaired surrogate (not text)");
            return false;
        }
    }

    private static bool TryGetName(JsonProperty property, string field, out string? name, out RejectReason reason)
    {
        try
        {
            name = property.Name;
            reason = default;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = null;
            reason = new RejectReason(RejectCode.InvalidField, $"{field} has a key with an unpaired surrogate (not text)");
            return false;
        }
    }

    /// <summary>A time inside <paramref name="window"/>; <paramref name="code"/> names the failure.</summary>
    public static bool Time(DateTimeOffset value, string field, in EventTimeWindow window, RejectCode code, out RejectReason reason)
    {
        if (!window.Contains(value))
        {
            reason = new RejectReason(code, window.Describe(field, value));
            return false;
        }
        reason = default;
        return true;
    }

    /// <summary>A finite number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static bool Number(double value, string field, double min, double max, out RejectReason reason, RejectCode code = RejectCode.InvalidField)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            reason = new RejectReason(code, string.Create(CultureInfo.InvariantCulture, $"{field} {value} is not a number in [{min}, {max}]"));
            return false;
        }
        reason = default;
        return true;
    }

    /// <summary>Turns a deserializer's complaint into a reason; <paramref name="codeOfPath"/> maps the JSON path to a code.</summary>
    public static RejectReason FromJsonException(JsonException ex, Func<string, RejectCode>? codeOfPath = null)
    {
        var path = ex.Path ?? string.Empty;
        var message = ex.Message;
        // Missing 'required' properties surface as a JsonException without a path.
        if (message.Contains("missing required properties", StringComparison.OrdinalIgnoreCase))
        {
            return new RejectReason(RejectCode.MissingField, message);
        }
        if (path is "" or "$")
        {
            return new RejectReason(RejectCode.BadJson, message);
        }
        return new RejectReason(codeOfPath?.Invoke(path) ?? RejectCode.InvalidField, message);
    }

    /// <summary>
    /// Runs a deserializer; every way the bytes can fail to be a <typeparamref name="T"/> becomes a reason instead of an
    /// exception (invalid UTF-8 and surrogates surface as <see cref="InvalidOperationException"/> and friends).
    /// </summary>
    public static bool TryDeserialize<T>(ReadOnlySpan<byte> utf8, Func<ReadOnlySpan<byte>, T?> deserialize, Func<string, RejectCode>? codeOfPath,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value, out RejectReason reason) where T : class
    {
        value = null;
        if (utf8.IsEmpty)
        {
            reason = new RejectReason(RejectCode.EmptyMessage, "message has no body");
            return false;
        }
        try
        {
            value = deserialize(utf8);
        }
        catch (JsonException ex)
        {
            reason = FromJsonException(ex, codeOfPath);
            return false;
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or ArgumentException or FormatException or OverflowException)
        {
            reason = new RejectReason(RejectCode.BadJson, ex.Message);
            return false;
        }
        if (value is null)
        {
            reason = new RejectReason(RejectCode.BadJson, "message is JSON null");
            return false;
        }
        reason = default;
        return true;
    }
}
