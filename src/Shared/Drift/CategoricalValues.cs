using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Shared.Drift;

/// <summary>
/// The categorical fields whose unseen values are a drift signal, reduced as the feature pipeline reduces them
/// (<see cref="FeatureInput"/>): the channel's code, the merchant category's code, the country's hash. "Unseen" means
/// unseen by the model: an unknown channel is the code every unknown channel shares. The trainer records the values of
/// its rows (<see cref="ModelManifest.Categories"/>); the scorer counts live values outside them.
/// </summary>
public static class CategoricalValues
{
    public const string Channel = "channel";
    public const string MerchantCategory = "merchant_category";
    public const string Country = "country";

    /// <summary>The fields, in the order <see cref="Of(Transaction, Span{int})"/> writes them.</summary>
    public static IReadOnlyList<string> Fields { get; } = [Channel, MerchantCategory, Country];

    /// <summary>A live transaction's values (three string reductions, no allocation).</summary>
    public static void Of(Transaction transaction, Span<int> values)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        values[0] = FeatureInput.ChannelCodeOf(transaction.Channel);
        values[1] = FeatureInput.CategoryCodeOf(transaction.MerchantCategory);
        values[2] = FeatureInput.TextHashOf(transaction.Country);
    }

    /// <summary>The same values from a pipeline input (history, where the texts were reduced once per distinct value).</summary>
    public static void Of(in FeatureInput input, Span<int> values)
    {
        values[0] = input.Channel;
        values[1] = input.Category;
        values[2] = input.CountryHash;
    }
}
