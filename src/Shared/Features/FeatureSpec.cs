using System.Security.Cryptography;
using System.Text;

namespace Fraud.Streaming.Shared.Features;

/// <summary>
/// A named, versioned list of features. The hash covers the name and every feature's definition, so a model
/// trained on one spec is refused by a scorer computing another.
/// </summary>
public sealed class FeatureSpec
{
    private FeatureSpec(string name, IReadOnlyList<(string Name, string Definition)> features)
    {
        Name = name;
        Names = features.Select(f => f.Name).ToArray();
        var text = new StringBuilder(name).Append('\n');
        foreach (var (feature, definition) in features)
        {
            text.Append(feature).Append('=').Append(definition).Append('\n');
        }
        Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    public string Name { get; }
    public string Hash { get; }
    public IReadOnlyList<string> Names { get; }
    public int Count => Names.Count;

    /// <summary>The per-card spec computed by <see cref="CardFeatureExtractor"/>. Order is the model's column order.</summary>
    public static FeatureSpec CardV0 { get; } = new("card-v0",
    [
        ("amount_log", "log(1+amount)"),
        ("hour_sin", "sin(2*pi*utc_hour_fraction/24)"),
        ("hour_cos", "cos(2*pi*utc_hour_fraction/24)"),
        ("is_night", "utc hour in [0,6)"),
        ("channel_online", "channel in {online, ecom}"),
        ("secs_since_prev_log", "log(1+seconds since the card's previous transaction); -1 for the first"),
        ("card_tx_count_log", "log(1+transactions seen before this one)"),
        ("count_1h", "exponentially decayed count of previous transactions, tau 1 h"),
        ("amount_sum_1h_log", "log(1+exponentially decayed sum of previous amounts, tau 1 h)"),
        ("count_24h", "exponentially decayed count of previous transactions, tau 24 h"),
        ("amount_ratio_to_mean", "amount/(ewm mean of previous amounts, alpha 0.1, +1); 1 for the first"),
        ("amount_zscore", "(amount-ewm mean)/(ewm std+1); 0 for the first"),
        ("country_changed", "country differs from the previous transaction's"),
        ("device_changed", "device differs from the previous transaction's (missing counts as a device)"),
        ("merchant_changed", "merchant differs from the previous transaction's"),
        ("small_amount_burst_10m", "exponentially decayed count of previous amounts < 5, tau 10 min"),
    ]);
}
