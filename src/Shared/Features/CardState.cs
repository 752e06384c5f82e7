using System.Runtime.InteropServices;

namespace Fraud.Streaming.Shared.Features;

/// <summary>
/// What the pipeline remembers about one card between its transactions. A plain struct of fixed size
/// (no references), so a store of millions of cards is one array of values the GC never scans.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct CardState
{
    /// <summary>Event time of the newest transaction seen, in Unix milliseconds; 0 when the card is new.</summary>
    public long LastEventMs;
    public int Count;
    public float MeanAmount;
    public float VarAmount;
    public float Count1h;
    public float Sum1h;
    public float Count24h;
    public float SmallCount10m;
    public int LastCountry;
    public int LastDevice;
    public int LastMerchant;
}
