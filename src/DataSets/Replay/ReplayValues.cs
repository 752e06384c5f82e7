using System.Globalization;
using System.Text.Json;

namespace Fraud.Streaming.DataSets.Replay;

public static class ReplayValues
{
    private static readonly JsonElement True = JsonDocument.Parse("true").RootElement.Clone();
    private static readonly JsonElement False = JsonDocument.Parse("false").RootElement.Clone();

    /// <summary>A CSV cell as JSON: a number where it reads as one (features stay numeric), a string otherwise.</summary>
    public static JsonElement Element(string value)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return JsonSerializer.SerializeToElement(number, ReplayJsonContext.Default.Double);
        }
        return value switch
        {
            "T" or "True" or "true" => True,
            "F" or "False" or "false" => False,
            _ => JsonSerializer.SerializeToElement(value, ReplayJsonContext.Default.String),
        };
    }
}
