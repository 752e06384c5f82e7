using System.Runtime.InteropServices;

namespace Fraud.Streaming.Shared.Features;

/// <summary>
/// What the pipeline remembers about one card between its transactions. A plain struct of fixed size
/// (no references), so a store of millions of cards is one array of values the GC never scans; a test holds it
/// to at most 256 bytes.
/// </summary>
/// <remarks>
/// Windowed counts and sums are exponentially decayed to <see cref="LastEventMs"/>: O(1) state per window
/// instead of a list of events. "Seen before" sets are small Bloom filters over <see cref="StableHash"/>:
/// a fresh value may be taken for a known one (a false "not new"), never the other way round.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct CardState
{
    /// <summary>Event time of the newest transaction seen, in Unix milliseconds; the card's clock.</summary>
    public long LastEventMs;
    /// <summary>Transactions seen; 0 when the card is new.</summary>
    public int Count;
    public float MeanAmount;
    public float VarAmount;
    public float MaxAmount;
    public float Count10m;
    public float Count1h;
    public float Count24h;
    public float Count7d;
    public float Sum1h;
    public float Sum24h;
    public float Sum7d;
    public float Small10m;
    public float Small1h;
    public float Online24h;
    public float NewCountry24h;
    public float NewMerchant24h;
    public int LastCountry;
    public int LastDevice;
    public int LastMerchant;
    public ushort DistinctMerchants;
    public ushort DistinctCountries;
    public ushort DistinctDevices;
    public ushort Reserved;
    public BloomBits256 Merchants;
    public BloomBits128 Devices;
    public ulong Countries;
}
