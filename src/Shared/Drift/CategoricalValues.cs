using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features.Vocabularies;

namespace Fraud.Streaming.Shared.Drift;

/// <summary>
/// The categorical fields whose unseen values are a drift signal, reduced as the feature pipeline reduces them: each
/// field's vocabulary key (<see cref="ValueKey"/>; the channel's canonical one, <see cref="ChannelNames"/>), folded to
/// 32 bits. "Unseen" means unseen by the model: aliases of a channel are one value. The trainer records the values of its
/// rows (<see cref="ModelManifest.Categories"/>); the scorer counts live values outside them.
/// </summary>
public static class CategoricalValues
{
    public const string Channel = "channel";
    public const string MerchantCategory = "merchant_category";
    public const string Country = "country";

    /// <summary>The fields, in the order <see cref="Of(Transaction, Span{int})"/> writes them.</summary>
    public static IReadOnlyList<string> Fields { get; } = [Channel, MerchantCategory, Country];

    /// <summary>The encoding field each of <see cref="Fields"/> is.</summary>
    private static readonly CategoricalField[] Sources = [CategoricalField.Channel, CategoricalField.MerchantCategory, CategoricalField.Country];

    /// <summary>A live transaction's values (three string reductions, no allocation).</summary>
    public static void Of(Transaction transaction, Span<int> values)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        Of(TransactionFields.Of(transaction), values);
    }

    /// <summary>As <see cref="Of(Transaction, Span{int})"/>, of the fields.</summary>
    public static void Of(in TransactionFields transaction, Span<int> values)
    {
        for (var c = 0; c < Sources.Length; c++)
        {
            values[c] = Fold(EncodingLayout.KeyOf(transaction, Sources[c]));
        }
    }

    /// <summary>The same values from a history row's encoding slots (<see cref="EncodingLayout"/>: the texts were reduced once per distinct value).</summary>
    public static void Of(ReadOnlySpan<ulong> slots, Span<int> values)
    {
        for (var c = 0; c < Sources.Length; c++)
        {
            values[c] = Fold(slots[(int)Sources[c]]);
        }
    }

    private static int Fold(ulong key) => (int)(key ^ (key >> 32));
}
