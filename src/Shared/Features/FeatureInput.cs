using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Shared.Features;

/// <summary>
/// What the feature pipeline reads of one transaction, with every text already reduced to the hash or code the
/// features use. <see cref="Of(in TransactionFields, ulong)"/> makes one from a transaction (the scorer, files); a reader of
/// history that sees the same card, merchant or country millions of times computes each value's reduction once,
/// with the same functions (<see cref="CardKeyOf"/>, <see cref="TextHashOf(string?)"/>, <see cref="MerchantKeyOf(string?)"/>,
/// <see cref="IsCardNotPresent"/>), so both give the same bits. What a model encodes with its vocabularies is read
/// separately (<see cref="Vocabularies.EncodingLayout"/>): these inputs depend on the transaction alone, never on a model.
/// </summary>
/// <param name="EventMs">event time, Unix milliseconds.</param>
/// <param name="Amount">the amount as sent.</param>
/// <param name="CardKey">the key of the card's state (<see cref="CardKeyOf"/>).</param>
/// <param name="MerchantKey">the merchant's key in the entity table (<see cref="MerchantKeyOf(string?)"/>).</param>
/// <param name="MerchantHash">the merchant's hash in the card's state (<see cref="TextHashOf(string?)"/>).</param>
/// <param name="CountryHash"><see cref="TextHashOf(string?)"/> of the country.</param>
/// <param name="DeviceHash"><see cref="TextHashOf(string?)"/> of the device id, the empty string's when there is none.</param>
/// <param name="DeviceKey">the device's key in the entity table (<see cref="DeviceKeyOf(string?)"/>); 0 when there is none.</param>
/// <param name="HasDevice">whether a device id was sent.</param>
/// <param name="CardNotPresent"><see cref="IsCardNotPresent"/> of the channel.</param>
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
    bool CardNotPresent)
{
    /// <summary>The input of <paramref name="t"/>.</summary>
    public static FeatureInput Of(Transaction t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return Of(TransactionFields.Of(t), CardKeyOf(t.CardId));
    }

    /// <summary>The input of <paramref name="t"/> whose card key (<see cref="CardKeyOf"/>) is already known.</summary>
    public static FeatureInput Of(in TransactionFields t, ulong cardKey) => new(
        t.EventTime.ToUnixTimeMilliseconds(),
        t.Amount,
        cardKey,
        MerchantKeyOf(t.MerchantId),
        TextHashOf(t.MerchantId),
        TextHashOf(t.Country),
        t.DeviceId.IsNull ? TextHashOf(string.Empty) : TextHashOf(t.DeviceId),
        DeviceKeyOf(t.DeviceId),
        !t.DeviceId.IsNull,
        IsCardNotPresent(t.Channel));

    /// <summary>The key of a card's state (<see cref="CardStateStore.KeyOf(string)"/>).</summary>
    public static ulong CardKeyOf(string cardId) => CardStateStore.KeyOf(cardId);

    /// <summary>The key of a merchant in the entity table.</summary>
    public static ulong MerchantKeyOf(string? merchantId) => MerchantKeyOf(new TransactionText(merchantId));

    /// <summary>As <see cref="MerchantKeyOf(string?)"/>, of the id as transaction fields hold it (the same bits).</summary>
    public static ulong MerchantKeyOf(in TransactionText merchantId) => merchantId.Of64;

    /// <summary>The key of a device in the entity table; 0 when there is no device.</summary>
    public static ulong DeviceKeyOf(string? deviceId) => DeviceKeyOf(new TransactionText(deviceId));

    /// <summary>As <see cref="DeviceKeyOf(string?)"/>, of the id as transaction fields hold it (the same bits).</summary>
    public static ulong DeviceKeyOf(in TransactionText deviceId) => deviceId.IsNull ? 0 : deviceId.Of64;

    /// <summary>The 32-bit hash per-card state keeps of a merchant, country or device.</summary>
    public static int TextHashOf(string? value) => StableHash.Of(value);

    /// <summary>As <see cref="TextHashOf(string?)"/>, of a text as transaction fields hold it (the same bits).</summary>
    public static int TextHashOf(in TransactionText value) => value.Of32;

    /// <summary>Whether the channel is card-not-present, by its canonical name (<see cref="Contracts.ChannelNames"/>).</summary>
    public static bool IsCardNotPresent(string? channel) => Contracts.ChannelNames.IsCardNotPresent(channel);
}
