using System.Runtime.InteropServices;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Shared.Features;

/// <summary>
/// The one feature pipeline: the scorer calls it per event from streaming state, the trainer over history in
/// (event time, transaction id) order, so both see the same numbers. Features use only what happened before the
/// transaction plus the transaction itself (point in time). No I/O, no allocation.
/// </summary>
/// <remarks>
/// <para>Deterministic: float32 arithmetic (never contracted into fused multiply-adds by the JIT) and
/// <see cref="DeterministicMath"/> instead of the C library's exp/log/sin/cos, so a given sequence of events
/// gives the same bits on every machine, whatever the batch size or the number of threads (state is per card,
/// touched by one thread at a time).</para>
/// <para>Out-of-order events within a card (event time before the card's clock, <see cref="CardState.LastEventMs"/>)
/// are scored with an elapsed time of zero: the windows are not decayed and the clock does not move back. The
/// event still counts in every window, as if it had happened at the card's clock.</para>
/// </remarks>
public static class CardFeatureExtractor
{
    /// <summary>The spec this extractor computes; scorer and trainer both use it.</summary>
    public static FeatureSpec Spec => FeatureSpec.CardV1;

    private const float SmallAmount = 5f;
    private const float EwmAlpha = 0.1f;
    private const double Tau10mMs = 600_000d;
    private const double Tau1hMs = 3_600_000d;
    private const double Tau24hMs = 86_400_000d;
    private const double Tau7dMs = 604_800_000d;
    private const long MsPerMinute = 60_000;
    private const long MsPerDay = 86_400_000;
    private const int NightMinutes = 6 * 60;

    private static readonly float[] MinuteSin = Table(1440, DeterministicMath.Sin);
    private static readonly float[] MinuteCos = Table(1440, DeterministicMath.Cos);
    private static readonly float[] WeekdaySin = Table(7, DeterministicMath.Sin);
    private static readonly float[] WeekdayCos = Table(7, DeterministicMath.Cos);

    /// <summary>
    /// Writes the features of <paramref name="t"/> into <paramref name="features"/>, then folds it into
    /// <paramref name="state"/>, with the default spec's card idle time (<see cref="FeatureSpec.DefaultCardIdleTtlMs"/>).
    /// </summary>
    public static void ExtractAndUpdate(ref CardState state, Transaction t, Span<float> features) =>
        ExtractAndUpdate(ref state, t, features, Spec.CardIdleTtlMs);

    /// <summary>
    /// Writes the features of <paramref name="t"/> into <paramref name="features"/>, then folds it into <paramref name="state"/>.
    /// A card whose newest transaction is more than <paramref name="cardIdleTtlMs"/> (event time) before
    /// <paramref name="t"/> starts afresh, exactly as a card never seen: the rule lives here, not in the stores, so
    /// the scorer (which drops idle cards now and then) and the trainer (which never does) compute the same features.
    /// </summary>
    /// <param name="cardIdleTtlMs">the spec's <see cref="FeatureSpec.CardIdleTtlMs"/>.</param>
    public static void ExtractAndUpdate(ref CardState state, Transaction t, Span<float> features, long cardIdleTtlMs) =>
        ExtractAndUpdate(ref state, FeatureInput.Of(t), features, cardIdleTtlMs);

    /// <summary>
    /// <see cref="ExtractAndUpdate(ref CardState, Transaction, Span{float}, long)"/> from a transaction's
    /// <see cref="FeatureInput"/>: the same numbers, without touching a string.
    /// </summary>
    public static void ExtractAndUpdate(ref CardState state, in FeatureInput t, Span<float> features, long cardIdleTtlMs)
    {
        var amount = (float)t.Amount;
        var eventMs = t.EventMs;
        if (state.Count != 0 && eventMs - state.LastEventMs > cardIdleTtlMs)
        {
            state = default;
        }
        var isNew = state.Count == 0;
        var elapsedMs = isNew ? 0d : Math.Max(0d, eventMs - state.LastEventMs);

        // Decay the windows to this event's time; the decayed values describe strictly earlier transactions.
        var d10m = (float)DeterministicMath.Exp(-elapsedMs / Tau10mMs);
        var d1h = (float)DeterministicMath.Exp(-elapsedMs / Tau1hMs);
        var d24h = (float)DeterministicMath.Exp(-elapsedMs / Tau24hMs);
        var d7d = (float)DeterministicMath.Exp(-elapsedMs / Tau7dMs);
        var count10m = state.Count10m * d10m;
        var count1h = state.Count1h * d1h;
        var count24h = state.Count24h * d24h;
        var count7d = state.Count7d * d7d;
        var sum1h = state.Sum1h * d1h;
        var sum24h = state.Sum24h * d24h;
        var sum7d = state.Sum7d * d7d;
        var small10m = state.Small10m * d10m;
        var small1h = state.Small1h * d1h;
        var online24h = state.Online24h * d24h;
        var newCountry24h = state.NewCountry24h * d24h;
        var newMerchant24h = state.NewMerchant24h * d24h;

        var country = t.CountryHash;
        var device = t.DeviceHash;
        var merchant = t.MerchantHash;
        var countrySeen = CardSeenSet.TestAndAdd(MemoryMarshal.CreateSpan(ref state.Countries, 1), country);
        var deviceSeen = CardSeenSet.TestAndAdd(state.Devices, device);
        var merchantSeen = CardSeenSet.TestAndAdd(state.Merchants, merchant);
        var newCountry = !isNew && !countrySeen;
        var newDevice = !isNew && !deviceSeen;
        var newMerchant = !isNew && !merchantSeen;

        var minuteOfDay = (int)Mod(eventMs / MsPerMinute, 1440);
        var weekday = (int)Mod(FloorDiv(eventMs, MsPerDay) + 3, 7); // 1970-01-01 was a Thursday
        var cardNotPresent = t.CardNotPresent;
        var std = MathF.Sqrt(MathF.Max(state.VarAmount, 0f));

        features[0] = DeterministicMath.Log1P(Math.Max(amount, 0f));
        features[1] = MinuteSin[minuteOfDay];
        features[2] = MinuteCos[minuteOfDay];
        features[3] = minuteOfDay < NightMinutes ? 1f : 0f;
        features[4] = WeekdaySin[weekday];
        features[5] = WeekdayCos[weekday];
        features[6] = weekday >= 5 ? 1f : 0f;
        features[7] = cardNotPresent ? 1f : 0f;
        features[8] = isNew ? -1f : DeterministicMath.Log1P(elapsedMs / 1000d);
        features[9] = DeterministicMath.Log1P(state.Count);
        features[10] = count10m;
        features[11] = count1h;
        features[12] = count24h;
        features[13] = count7d;
        features[14] = DeterministicMath.Log1P(sum1h);
        features[15] = DeterministicMath.Log1P(sum24h);
        features[16] = DeterministicMath.Log1P(sum7d);
        features[17] = isNew ? 1f : amount / (state.MeanAmount + 1f);
        features[18] = isNew ? 0f : (amount - state.MeanAmount) / (std + 1f);
        features[19] = isNew ? 1f : (amount + 1f) / (state.MaxAmount + 1f);
        features[20] = count24h < 0.001f ? 1f : amount / ((sum24h / count24h) + 1f);
        features[21] = !isNew && country != state.LastCountry ? 1f : 0f;
        features[22] = !isNew && device != state.LastDevice ? 1f : 0f;
        features[23] = !isNew && merchant != state.LastMerchant ? 1f : 0f;
        features[24] = newCountry ? 1f : 0f;
        features[25] = newDevice ? 1f : 0f;
        features[26] = newMerchant ? 1f : 0f;
        features[27] = state.DistinctCountries;
        features[28] = DeterministicMath.Log1P(state.DistinctMerchants);
        features[29] = state.DistinctDevices;
        features[30] = newCountry24h;
        features[31] = newMerchant24h;
        features[32] = small10m;
        features[33] = small1h;
        features[34] = online24h;
        features[35] = t.HasDevice ? 0f : 1f;

        // Fold this transaction in.
        if (isNew)
        {
            state.MeanAmount = amount;
            state.VarAmount = 0f;
            state.MaxAmount = amount;
        }
        else
        {
            var delta = amount - state.MeanAmount;
            state.MeanAmount += EwmAlpha * delta;
            state.VarAmount = (1f - EwmAlpha) * (state.VarAmount + (EwmAlpha * delta * delta));
            state.MaxAmount = MathF.Max(state.MaxAmount, amount);
        }
        var small = amount < SmallAmount ? 1f : 0f;
        state.Count10m = count10m + 1f;
        state.Count1h = count1h + 1f;
        state.Count24h = count24h + 1f;
        state.Count7d = count7d + 1f;
        state.Sum1h = sum1h + amount;
        state.Sum24h = sum24h + amount;
        state.Sum7d = sum7d + amount;
        state.Small10m = small10m + small;
        state.Small1h = small1h + small;
        state.Online24h = online24h + (cardNotPresent ? 1f : 0f);
        state.NewCountry24h = newCountry24h + (newCountry ? 1f : 0f);
        state.NewMerchant24h = newMerchant24h + (newMerchant ? 1f : 0f);
        state.DistinctCountries = Increment(state.DistinctCountries, !countrySeen);
        state.DistinctMerchants = Increment(state.DistinctMerchants, !merchantSeen);
        state.DistinctDevices = Increment(state.DistinctDevices, !deviceSeen);
        state.LastEventMs = isNew ? eventMs : Math.Max(state.LastEventMs, eventMs);
        state.Count++;
        state.LastCountry = country;
        state.LastDevice = device;
        state.LastMerchant = merchant;
    }

    private static ushort Increment(ushort value, bool add) => add && value < ushort.MaxValue ? (ushort)(value + 1) : value;

    private static long FloorDiv(long a, long b) => (a / b) - ((a % b) < 0 ? 1 : 0);

    private static long Mod(long a, long b) => ((a % b) + b) % b;

    private static float[] Table(int size, Func<double, double> f)
    {
        var table = new float[size];
        for (var i = 0; i < size; i++)
        {
            table[i] = (float)f(2d * Math.PI * i / size);
        }
        return table;
    }
}
