using System.Security.Cryptography;
using System.Text;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features.Vocabularies;
using Fraud.Streaming.Shared.Features.Entities;

namespace Fraud.Streaming.Shared.Features;

/// <summary>
/// A named, versioned list of features. The hash covers the name and every feature's definition, so a model
/// trained on one spec is refused by a scorer computing another. A spec as configured (<see cref="Configure(string, int, int, int)"/>)
/// computes the card and entity features, which depend on settings only; a model's spec adds the encoded features its
/// training data taught it (<see cref="WithEncoding"/>: vocabularies and declared attributes, every value in the hashed text).
/// </summary>
public sealed class FeatureSpec
{
    private readonly IReadOnlyList<(string Name, string Definition)> _cardFeatures;
    private readonly EntityParameters? _entities;

    private FeatureSpec(string name, IReadOnlyList<(string Name, string Definition)> cardFeatures, long cardIdleTtlMs = DefaultCardIdleTtlMs,
        EntityParameters? entities = null, FeatureEncoding? encoding = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cardIdleTtlMs, 1);
        _cardFeatures = cardFeatures;
        _entities = entities;
        Encoding = encoding ?? FeatureEncoding.None;
        IReadOnlyList<(string Name, string Definition)> computed = entities is { } e
            ? [.. cardFeatures, .. EntityFeatures.Definitions(e.LagHours, e.ReportHorizonDays)]
            : cardFeatures;
        ComputedCount = computed.Count;
        IReadOnlyList<(string Name, string Definition)> features = [.. computed, .. Encoding.Definitions];
        Name = name;
        Names = features.Select(f => f.Name).ToArray();
        if (Names.Distinct(StringComparer.Ordinal).Count() != Names.Count)
        {
            throw new ArgumentException($"spec {name}: two features have the same name", nameof(encoding));
        }
        CardIdleTtlMs = cardIdleTtlMs;
        var text = new StringBuilder(name).Append('\n');
        foreach (var (feature, definition) in features)
        {
            text.Append(feature).Append('=').Append(definition).Append('\n');
        }
        // The idle rule changes features (an idle card starts afresh), so it is part of what the hash covers.
        text.Append("card_idle_ttl_ms=").Append(cardIdleTtlMs.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        if (entities is { } p)
        {
            // Also in the definitions' text; stated once more so a reader of the hashed text finds them in one place.
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"entity_lag_hours={p.LagHours}\nreport_horizon_days={p.ReportHorizonDays}\n");
        }
        Hash = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>30 days: a card idle for longer (in event time) starts afresh; well beyond the longest window (7 d).</summary>
    public const int DefaultCardIdleDays = 30;

    /// <summary><see cref="DefaultCardIdleDays"/> in milliseconds.</summary>
    public const long DefaultCardIdleTtlMs = DefaultCardIdleDays * MsPerDay;

    private const long MsPerDay = 86_400_000;

    public string Name { get; }
    public string Hash { get; }
    public IReadOnlyList<string> Names { get; }
    public int Count => Names.Count;

    /// <summary>
    /// The features computed from settings alone (card, then entity features), before the encoded ones: what a scorer
    /// computes whatever model serves, and what card-state snapshots depend on.
    /// </summary>
    public int ComputedCount { get; }

    /// <summary>The encoded features' vocabularies and attributes (the last <see cref="FeatureEncoding.Count"/> features); <see cref="FeatureEncoding.None"/> for a spec as configured.</summary>
    public FeatureEncoding Encoding { get; }

    /// <summary>This spec with <paramref name="encoding"/> instead of its own: the spec of a model trained with it (another hash).</summary>
    /// <exception cref="ArgumentException">an encoded feature's name is taken.</exception>
    public FeatureSpec WithEncoding(FeatureEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        return ReferenceEquals(encoding, Encoding) ? this : new FeatureSpec(Name, _cardFeatures, CardIdleTtlMs, _entities, encoding);
    }

    /// <summary>
    /// The <see cref="EntityFeatures.Count"/> features after the card features are entity features (<see cref="EntityFeatures"/>),
    /// read from an <see cref="EntityTable"/>.
    /// </summary>
    public bool HasEntityFeatures => _entities is not null;

    /// <summary>Hours since the end of the newest day a transaction's entity features read (<see cref="EntityFeatures"/>).</summary>
    public int EntityLagHours => _entities?.LagHours ?? 0;

    /// <summary>Reports about transactions older than this many days (at report time) are not attributed.</summary>
    public int ReportHorizonDays => _entities?.ReportHorizonDays ?? 0;

    /// <summary>
    /// A card whose newest transaction is more than this many milliseconds (event time) before the next one
    /// starts afresh, as if new (see <see cref="CardFeatureExtractor"/>); stores drop such cards.
    /// </summary>
    public long CardIdleTtlMs { get; }

    /// <summary>This spec with a card idle time of <paramref name="days"/> days (how the scorer and trainer configure it).</summary>
    public FeatureSpec WithCardIdleDays(int days) => WithCardIdleTtl(days * MsPerDay);

    /// <summary>This spec with another card idle time: same features, another hash.</summary>
    public FeatureSpec WithCardIdleTtl(long cardIdleTtlMs) =>
        cardIdleTtlMs == CardIdleTtlMs ? this : new FeatureSpec(Name, _cardFeatures, cardIdleTtlMs, _entities, Encoding);

    /// <summary>This spec with another entity lag and report horizon: same features, another hash.</summary>
    /// <exception cref="InvalidOperationException">the spec has no entity features.</exception>
    public FeatureSpec WithEntities(int lagHours, int reportHorizonDays)
    {
        if (_entities is null)
        {
            throw new InvalidOperationException($"spec {Name} has no entity features");
        }
        var entities = new EntityParameters(lagHours, reportHorizonDays);
        return entities == _entities ? this : new FeatureSpec(Name, _cardFeatures, CardIdleTtlMs, entities, Encoding);
    }

    /// <summary>
    /// The served spec (<see cref="CardEntityV1"/>) as configured: card idle time, entity lag and report horizon. The
    /// scorer, the trainer and every offline path build their spec here, so equal settings give equal hashes.
    /// </summary>
    public static FeatureSpec Configure(int cardIdleDays, int entityLagHours, int reportHorizonDays) =>
        CardEntityV1.WithCardIdleDays(cardIdleDays).WithEntities(entityLagHours, reportHorizonDays);

    /// <summary>
    /// A served spec by name, as configured: <c>card-entity-v1</c> (<see cref="Configure(int, int, int)"/>) or <c>card-v1</c>
    /// (card features only: no aggregator needed, nothing seen beyond the card).
    /// </summary>
    /// <exception cref="ArgumentException">the name is neither.</exception>
    public static FeatureSpec Configure(string name, int cardIdleDays, int entityLagHours, int reportHorizonDays) => name switch
    {
        "card-entity-v1" => Configure(cardIdleDays, entityLagHours, reportHorizonDays),
        "card-v1" => CardV1.WithCardIdleDays(cardIdleDays),
        _ => throw new ArgumentException($"unknown feature spec '{name}'; known: {string.Join(", ", Served)}", nameof(name)),
    };

    /// <summary>The names <see cref="Configure(string, int, int, int)"/> knows.</summary>
    public static IReadOnlyList<string> Served { get; } = ["card-entity-v1", "card-v1"];

    /// <summary>An empty table for this spec's entity features.</summary>
    public EntityTable NewEntityTable() => new(EntityLagHours);

    /// <summary>
    /// The per-card spec computed by <see cref="CardFeatureExtractor"/>. Order is the model's column order;
    /// docs/FEATURES.md explains each feature. Windows are exponential decays with the named time constant.
    /// </summary>
    public static FeatureSpec CardV1 { get; } = new("card-v1",
    [
        ("amount_log", "log(1+amount)"),
        ("hour_sin", "sin(2*pi*utc_minute_of_day/1440)"),
        ("hour_cos", "cos(2*pi*utc_minute_of_day/1440)"),
        ("is_night", "utc hour in [0,6)"),
        ("weekday_sin", "sin(2*pi*utc_weekday/7), monday 0"),
        ("weekday_cos", "cos(2*pi*utc_weekday/7), monday 0"),
        ("is_weekend", "utc saturday or sunday"),
        ("card_not_present", $"canonical channel (trimmed, case-insensitive aliases) is card-not-present: {ChannelNames.Definition}"),
        ("secs_since_prev_log", "log(1+seconds since the card's newest earlier transaction); -1 for the first"),
        ("card_tx_count_log", "log(1+transactions seen before this one)"),
        ("count_10m", "decayed count of previous transactions, tau 10 min"),
        ("count_1h", "decayed count of previous transactions, tau 1 h"),
        ("count_24h", "decayed count of previous transactions, tau 24 h"),
        ("count_7d", "decayed count of previous transactions, tau 7 d"),
        ("amount_sum_1h_log", "log(1+decayed sum of previous amounts, tau 1 h)"),
        ("amount_sum_24h_log", "log(1+decayed sum of previous amounts, tau 24 h)"),
        ("amount_sum_7d_log", "log(1+decayed sum of previous amounts, tau 7 d)"),
        ("amount_ratio_to_mean", "amount/(ewm mean of previous amounts, alpha 0.1, +1); 1 for the first"),
        ("amount_zscore", "(amount-ewm mean)/(ewm std+1); 0 for the first"),
        ("amount_ratio_to_max", "(amount+1)/(largest previous amount+1); 1 for the first"),
        ("amount_ratio_to_24h_mean", "amount/(decayed 24 h sum/decayed 24 h count+1); 1 when the 24 h count < 0.001"),
        ("country_changed", "country differs from the previous transaction's; 0 for the first"),
        ("device_changed", "device differs from the previous transaction's (missing counts as a device); 0 for the first"),
        ("merchant_changed", "merchant differs from the previous transaction's; 0 for the first"),
        ("new_country", "country not in the card's 64-bit seen set (bloom, 2 bits); 0 for the first"),
        ("new_device", "device not in the card's 128-bit seen set (bloom, 2 bits); 0 for the first"),
        ("new_merchant", "merchant not in the card's 256-bit seen set (bloom, 2 bits); 0 for the first"),
        ("distinct_countries", "countries the card used before, as counted by the seen set"),
        ("distinct_merchants_log", "log(1+merchants the card used before, as counted by the seen set)"),
        ("distinct_devices", "devices the card used before, as counted by the seen set"),
        ("new_country_count_24h", "decayed count of previous transactions in a new country, tau 24 h"),
        ("new_merchant_count_24h", "decayed count of previous transactions at a new merchant, tau 24 h"),
        ("small_amount_count_10m", "decayed count of previous amounts < 5, tau 10 min"),
        ("small_amount_count_1h", "decayed count of previous amounts < 5, tau 1 h"),
        ("card_not_present_count_24h", "decayed count of previous card-not-present transactions, tau 24 h"),
        ("device_missing", "no device_id"),
    ]);

    /// <summary>
    /// <see cref="CardV1"/>'s features, then the entity features (<see cref="EntityFeatures"/>) with the default lag and
    /// report horizon; their definitions, lag and horizon are part of the hash.
    /// </summary>
    public static FeatureSpec CardEntityV1 { get; } = new("card-entity-v1", CardV1._cardFeatures, DefaultCardIdleTtlMs,
        new EntityParameters(EntityFeatures.DefaultLagHours, EntityFeatures.DefaultReportHorizonDays));

    private sealed record EntityParameters
    {
        public EntityParameters(int lagHours, int reportHorizonDays)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(lagHours, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(reportHorizonDays, 1);
            LagHours = lagHours;
            ReportHorizonDays = reportHorizonDays;
        }

        public int LagHours { get; }
        public int ReportHorizonDays { get; }
    }
}
