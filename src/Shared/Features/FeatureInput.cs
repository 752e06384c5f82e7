using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Shared.Features;

/// <summary>
/// What the feature pipeline reads of one transaction, with every text already reduced to the hash or code the
/// features use. <see cref="Of(Transaction)"/> makes one from a transaction (the scorer, files); a reader of
/// history that sees the same card, merchant or country millions of times computes each value's reduction once,
/// with the same functions (<see cref="CardKeyOf"/>, <see cref="TextHashOf"/>, <see cref="MerchantKeyOf"/>,
/// <see cref="ChannelCodeOf"/>, <see cref="CategoryCodeOf"/>, <see cref="IsHighRiskCategory"/>), so both give the same
/// bits.
/// </summary>
/// <param name="EventMs">event time, Unix milliseconds.</param>
/// <param name="Amount">the amount as sent.</param>
/// <param name="CardKey">the key of the card's state (<see cref="CardKeyOf"/>).</param>
/// <param name="MerchantKey">the merchant's key in the entity table (<see cref="MerchantKeyOf"/>).</param>
/// <param name="MerchantHash">the merchant's hash in the card's state (<see cref="TextHashOf"/>).</param>
/// <param name="CountryHash"><see cref="TextHashOf"/> of the country.</param>
/// <param name="DeviceHash"><see cref="TextHashOf"/> of the device id, the empty string's when there is none.</param>
/// <param name="DeviceKey">the device's key in the entity table (<see cref="DeviceKeyOf"/>); 0 when there is none.</param>
/// <param name="HasDevice">whether a device id was sent.</param>
/// <param name="Channel"><see cref="ChannelCodeOf"/> of the channel.</param>
/// <param name="Category"><see cref="CategoryCodeOf"/> of the merchant category.</param>
/// <param name="HighRiskCategory"><see cref="IsHighRiskCategory"/> of the merchant category.</param>
public readonly record struct FeatureInput(
    long EventMs,
    double Amount,
    ulong CardKey,
    ulong MerchantKey,
    int MerchantHash,
    int CountryHash,
    int DeviceHash,
    ulong DeviceKey,
    bool HasDevice,
    int Channel,
    int Category,
    bool HighRiskCategory)
{
    /// <summary>The input of <paramref name="t"/>.</summary>
    public static FeatureInput Of(Transaction t) => Of(t, CardKeyOf(t.CardId));

    /// <summary>The input of <paramref name="t"/> whose card key (<see cref="CardKeyOf"/>) is already known.</summary>
    public static FeatureInput Of(Transaction t, ulong cardKey)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new(
            t.EventTime.ToUnixTimeMilliseconds(),
            t.Amount,
            cardKey,
            MerchantKeyOf(t.MerchantId),
            TextHashOf(t.MerchantId),
            TextHashOf(t.Country),
            TextHashOf(t.DeviceId ?? string.Empty),
            DeviceKeyOf(t.DeviceId),
            t.DeviceId is not null,
            ChannelCodeOf(t.Channel),
            CategoryCodeOf(t.MerchantCategory),
            IsHighRiskCategory(t.MerchantCategory));
    }

    /// <summary>The key of a card's state (<see cref="CardStateStore.KeyOf"/>).</summary>
    public static ulong CardKeyOf(string cardId) => CardStateStore.KeyOf(cardId);

    /// <summary>The key of a merchant in the entity table.</summary>
    public static ulong MerchantKeyOf(string? merchantId) => StableHash.Of64(merchantId);

    /// <summary>The key of a device in the entity table; 0 when there is no device.</summary>
    public static ulong DeviceKeyOf(string? deviceId) => deviceId is null ? 0 : StableHash.Of64(deviceId);

    /// <summary>The 32-bit hash per-card state keeps of a merchant, country or device.</summary>
    public static int TextHashOf(string? value) => StableHash.Of(value);

    /// <summary>The channel's code (0 pos, 1 contactless, 2 online/ecom, 3 atm, 4 moto/phone, 5 anything else).</summary>
    public static int ChannelCodeOf(string channel) => CardFeatureExtractor.ChannelCode(channel);

    /// <summary>The merchant category's code: 0–9 for the named categories, 10–25 by hash for others.</summary>
    public static int CategoryCodeOf(string category) => CardFeatureExtractor.CategoryCode(category);

    /// <summary>Whether the merchant category is one fraud favours.</summary>
    public static bool IsHighRiskCategory(string category) => CardFeatureExtractor.IsHighRisk(category);
}
