using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Trainer.Training;

/// <summary>
/// Builds the frozen <see cref="MerchantTable"/> from labelled history strictly before a cutoff. Rows at or after
/// the cutoff are ignored, so a row that is scored with the table (the training rows come after the cutoff) never
/// contributes its own label, nor any later one, to the values it sees.
/// </summary>
/// <param name="cutoff">only rows with an event time strictly before this go into the table.</param>
/// <param name="minRows">a merchant with fewer labelled rows before the cutoff gets the defaults (the prior).</param>
/// <param name="smoothing">m of the m-estimate: the fraud rate and card-not-present share of a merchant are pulled
/// toward the global ones as if it had this many extra rows at the global rates.</param>
internal sealed class MerchantTableBuilder(DateTimeOffset cutoff, int minRows = MerchantTableBuilder.DefaultMinRows, double smoothing = MerchantTableBuilder.DefaultSmoothing)
{
    public const int DefaultMinRows = 5;
    public const double DefaultSmoothing = 20;

    /// <summary>Amounts are capped here before averaging, so a few absurd amounts cannot overflow the sums.</summary>
    private const double AmountCap = 1e15;

    private readonly Dictionary<ulong, Totals> _merchants = [];
    private readonly long _cutoffMs = cutoff.ToUnixTimeMilliseconds();
    private Totals _all;

    public long RowsUsed => _all.Count;

    /// <summary>Counts a labelled transaction when it is before the cutoff; ignores it otherwise.</summary>
    public void Add(string? merchantId, DateTimeOffset eventTime, double amount, bool cardNotPresent, bool isFraud) =>
        Add(FeatureInput.MerchantKeyOf(merchantId), eventTime, amount, cardNotPresent, isFraud);

    /// <summary>Counts a labelled transaction of the merchant keyed <paramref name="merchantKey"/> (<see cref="FeatureInput.MerchantKeyOf"/>) when it is before the cutoff.</summary>
    public void Add(ulong merchantKey, DateTimeOffset eventTime, double amount, bool cardNotPresent, bool isFraud)
    {
        if (eventTime.ToUnixTimeMilliseconds() >= _cutoffMs)
        {
            return;
        }
        var capped = double.IsNaN(amount) ? 0 : Math.Clamp(amount, 0, AmountCap);
        _all.Add(capped, cardNotPresent, isFraud);
        ref var totals = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_merchants, merchantKey, out _);
        totals.Add(capped, cardNotPresent, isFraud);
    }

    public MerchantTable Build()
    {
        var n = (double)_all.Count;
        var fraudRate = n > 0 ? _all.Fraud / n : 0;
        var meanAmount = n > 0 ? _all.AmountSum / n : 0;
        var cnpShare = n > 0 ? _all.CardNotPresent / n : 0;
        float[] defaults = [0f, (float)fraudRate, DeterministicMath.Log1P(meanAmount), (float)cnpShare];
        var entries = new List<KeyValuePair<ulong, float[]>>();
        foreach (var (key, t) in _merchants)
        {
            if (t.Count < minRows)
            {
                continue;
            }
            entries.Add(new(key,
            [
                DeterministicMath.Log1P(t.Count),
                (float)((t.Fraud + (smoothing * fraudRate)) / (t.Count + smoothing)),
                DeterministicMath.Log1P(t.AmountSum / t.Count),
                (float)((t.CardNotPresent + (smoothing * cnpShare)) / (t.Count + smoothing)),
            ]));
        }
        return new MerchantTable(_cutoffMs, _all.Count, defaults, entries);
    }

    private struct Totals
    {
        public long Count;
        public long Fraud;
        public long CardNotPresent;
        public double AmountSum;

        public void Add(double amount, bool cardNotPresent, bool isFraud)
        {
            Count++;
            Fraud += isFraud ? 1 : 0;
            CardNotPresent += cardNotPresent ? 1 : 0;
            AmountSum += amount;
        }
    }
}
