using System.Buffers.Binary;

namespace Fraud.Streaming.Shared.Features;

/// <summary>
/// A frozen, point-in-time table of per-merchant features: built by the trainer from labelled history strictly
/// before a cutoff, shipped inside the model package, and read by the scorer and the offline path alike, so both
/// append the very same float32 values (<see cref="Append(string?, Span{float})"/>). Merchants are keyed by
/// <see cref="StableHash.Of64"/> of their id; a merchant the table does not hold (unknown, or too few rows when it
/// was built) gets <see cref="Defaults"/>, the prior.
/// </summary>
/// <remarks>
/// Byte layout (little-endian), deterministic for the same content: magic <c>FMT1</c>, int32 feature count,
/// int64 cutoff (Unix ms), int64 rows the table was built from, the default row, int32 merchant count, then
/// one entry per merchant in ascending key order: uint64 key and its feature row. Every value must be finite.
/// </remarks>
public sealed class MerchantTable
{
    /// <summary>Features per merchant, in the order they are appended after the card features.</summary>
    public const int FeatureCount = 4;

    private static readonly byte[] Magic = "FMT1"u8.ToArray();
    private const int HeaderBytes = 4 + 4 + 8 + 8 + (FeatureCount * 4) + 4;
    private const int EntryBytes = 8 + (FeatureCount * 4);

    private readonly Dictionary<ulong, int> _index;
    private readonly ulong[] _keys;
    private readonly float[] _values;
    private readonly float[] _defaults;

    /// <param name="entries">per merchant key, its <see cref="FeatureCount"/> values; any order, keys distinct.</param>
    /// <exception cref="ArgumentException">a row has the wrong length, a value is not finite, or a key repeats.</exception>
    public MerchantTable(long cutoffMs, long sourceRows, ReadOnlySpan<float> defaults, IEnumerable<KeyValuePair<ulong, float[]>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        CheckRow(defaults, "defaults");
        CutoffMs = cutoffMs;
        SourceRows = sourceRows;
        _defaults = defaults.ToArray();
        var sorted = entries.OrderBy(e => e.Key).ToArray();
        _keys = new ulong[sorted.Length];
        _values = new float[sorted.Length * FeatureCount];
        _index = new Dictionary<ulong, int>(sorted.Length);
        for (var i = 0; i < sorted.Length; i++)
        {
            CheckRow(sorted[i].Value, $"merchant {sorted[i].Key:x16}");
            if (!_index.TryAdd(sorted[i].Key, i))
            {
                throw new ArgumentException($"merchant key {sorted[i].Key:x16} appears twice", nameof(entries));
            }
            _keys[i] = sorted[i].Key;
            sorted[i].Value.CopyTo(_values, i * FeatureCount);
        }
    }

    /// <summary>The spec's names of the merchant features, as appended.</summary>
    public static IReadOnlyList<(string Name, string Definition)> Features { get; } =
    [
        ("merchant_tx_count_log", "log(1+labelled transactions at the merchant before the table cutoff); 0 when the merchant is not in the table (unknown, or fewer than 5 such transactions)"),
        ("merchant_fraud_rate", "(frauds+20*global fraud rate)/(transactions+20) at the merchant before the cutoff; the global rate when not in the table"),
        ("merchant_amount_mean_log", "log(1+mean amount at the merchant before the cutoff); log(1+global mean) when not in the table"),
        ("merchant_card_not_present_share", "(card-not-present+20*global share)/(transactions+20) at the merchant before the cutoff; the global share when not in the table"),
    ];

    /// <summary>Only labelled history strictly before this instant (Unix ms) went into the table.</summary>
    public long CutoffMs { get; }

    /// <summary>How many labelled transactions the table was built from.</summary>
    public long SourceRows { get; }

    /// <summary>Merchants held (the others get <see cref="Defaults"/>).</summary>
    public int MerchantCount => _keys.Length;

    /// <summary>The row of a merchant the table does not hold.</summary>
    public ReadOnlySpan<float> Defaults => _defaults;

    /// <summary>The features of <paramref name="merchantId"/>: its row, or <see cref="Defaults"/>.</summary>
    public ReadOnlySpan<float> Lookup(string? merchantId) => Lookup(FeatureInput.MerchantKeyOf(merchantId));

    /// <summary>The features of the merchant whose key (<see cref="FeatureInput.MerchantKeyOf"/>) is <paramref name="merchantKey"/>.</summary>
    public ReadOnlySpan<float> Lookup(ulong merchantKey) =>
        _index.TryGetValue(merchantKey, out var i) ? _values.AsSpan(i * FeatureCount, FeatureCount) : _defaults;

    /// <summary>
    /// Writes the merchant features into the tail of a feature vector: the last <see cref="FeatureCount"/> values
    /// of <paramref name="features"/>. The card features before it are untouched.
    /// </summary>
    public void Append(string? merchantId, Span<float> features) =>
        Lookup(merchantId).CopyTo(features[^FeatureCount..]);

    /// <summary><see cref="Append(string?, Span{float})"/> by the merchant's key (<see cref="FeatureInput.MerchantKeyOf"/>).</summary>
    public void Append(ulong merchantKey, Span<float> features) =>
        Lookup(merchantKey).CopyTo(features[^FeatureCount..]);

    /// <summary>The table's bytes; the same content always gives the same bytes.</summary>
    public byte[] Serialize()
    {
        var bytes = new byte[HeaderBytes + (_keys.Length * EntryBytes)];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], FeatureCount);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], CutoffMs);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], SourceRows);
        var at = 24;
        foreach (var v in _defaults)
        {
            BinaryPrimitives.WriteSingleLittleEndian(span[at..], v);
            at += 4;
        }
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], _keys.Length);
        at += 4;
        for (var i = 0; i < _keys.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(span[at..], _keys[i]);
            at += 8;
            for (var f = 0; f < FeatureCount; f++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(span[at..], _values[(i * FeatureCount) + f]);
                at += 4;
            }
        }
        return bytes;
    }

    /// <summary>Reads bytes written by <see cref="Serialize"/>.</summary>
    /// <exception cref="InvalidDataException">the bytes are not a well-formed table (the message says what is wrong).</exception>
    public static MerchantTable Deserialize(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderBytes || !bytes[..4].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"not a merchant table ({bytes.Length} bytes, no FMT1 header)");
        }
        var featureCount = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        if (featureCount != FeatureCount)
        {
            throw new InvalidDataException($"merchant table has {featureCount} features per merchant; this build reads {FeatureCount}");
        }
        var cutoff = BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]);
        var rows = BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]);
        var at = 24;
        var defaults = ReadRow(bytes, ref at);
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
        at += 4;
        if (count < 0 || (long)bytes.Length - HeaderBytes != (long)count * EntryBytes)
        {
            throw new InvalidDataException($"merchant table claims {count} merchants but holds {bytes.Length - HeaderBytes} bytes of entries");
        }
        var entries = new KeyValuePair<ulong, float[]>[count];
        for (var i = 0; i < count; i++)
        {
            var key = BinaryPrimitives.ReadUInt64LittleEndian(bytes[at..]);
            at += 8;
            if (i > 0 && key <= entries[i - 1].Key)
            {
                throw new InvalidDataException($"merchant table entries are not in strictly ascending key order at entry {i}");
            }
            entries[i] = new(key, ReadRow(bytes, ref at));
        }
        try
        {
            return new MerchantTable(cutoff, rows, defaults, entries);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"merchant table: {ex.Message}", ex);
        }
    }

    private static float[] ReadRow(ReadOnlySpan<byte> bytes, ref int at)
    {
        var row = new float[FeatureCount];
        for (var f = 0; f < FeatureCount; f++)
        {
            row[f] = BinaryPrimitives.ReadSingleLittleEndian(bytes[at..]);
            at += 4;
        }
        return row;
    }

    private static void CheckRow(ReadOnlySpan<float> row, string what)
    {
        if (row.Length != FeatureCount)
        {
            throw new ArgumentException($"{what}: {row.Length} values, expected {FeatureCount}");
        }
        foreach (var v in row)
        {
            if (!float.IsFinite(v))
            {
                throw new ArgumentException($"{what}: value {v} is not finite");
            }
        }
    }
}
