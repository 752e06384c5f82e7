using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Shared.Features;

/// <summary>
/// The one feature pipeline: the scorer calls it per event from streaming state, the trainer over history in
/// event-time order, so both see the same numbers. Features use only what happened before the transaction plus
/// the transaction itself (point in time). No I/O, no allocation.
/// </summary>
/// <remarks>
/// Out-of-order events within a card (event time before the card's newest) are scored with an elapsed time of
/// zero and do not move the card's clock back.
/// </remarks>
public static class CardFeatureExtractor
{
    public static FeatureSpec Spec => FeatureSpec.CardV0;

    private const float SmallAmount = 5f;
    private const float EwmAlpha = 0.1f;
    private const double Tau1hMs = 3_600_000d;
    private const double Tau24hMs = 86_400_000d;
    private const double Tau10mMs = 600_000d;

    /// <summary>Writes the features of <paramref name="t"/> into <paramref name="features"/>, then folds it into <paramref name="state"/>.</summary>
    public static void ExtractAndUpdate(ref CardState state, Transaction t, Span<float> features)
    {
        var amount = (float)t.Amount;
        var eventMs = t.EventTime.ToUnixTimeMilliseconds();
        var utc = t.EventTime.UtcDateTime;
        var isNew = state.Count == 0;
        var elapsedMs = isNew ? 0d : Math.Max(0d, eventMs - state.LastEventMs);

        // Decay the windows to this event's time; the decayed values describe strictly earlier transactions.
        var d1h = (float)Math.Exp(-elapsedMs / Tau1hMs);
        var d24h = (float)Math.Exp(-elapsedMs / Tau24hMs);
        var d10m = (float)Math.Exp(-elapsedMs / Tau10mMs);
        var count1h = state.Count1h * d1h;
        var sum1h = state.Sum1h * d1h;
        var count24h = state.Count24h * d24h;
        var small10m = state.SmallCount10m * d10m;

        var country = StableHash.Of(t.Country);
        var device = StableHash.Of(t.DeviceId ?? string.Empty);
        var merchant = StableHash.Of(t.MerchantId);
        var hour = utc.Hour + (utc.Minute / 60f);
        var angle = 2f * MathF.PI * hour / 24f;
        var std = MathF.Sqrt(MathF.Max(state.VarAmount, 0f));

        features[0] = MathF.Log(1f + amount);
        features[1] = MathF.Sin(angle);
        features[2] = MathF.Cos(angle);
        features[3] = utc.Hour < 6 ? 1f : 0f;
        features[4] = IsOnline(t.Channel) ? 1f : 0f;
        features[5] = isNew ? -1f : (float)Math.Log(1d + (elapsedMs / 1000d));
        features[6] = MathF.Log(1f + state.Count);
        features[7] = count1h;
        features[8] = MathF.Log(1f + sum1h);
        features[9] = count24h;
        features[10] = isNew ? 1f : amount / (state.MeanAmount + 1f);
        features[11] = isNew ? 0f : (amount - state.MeanAmount) / (std + 1f);
        features[12] = !isNew && country != state.LastCountry ? 1f : 0f;
        features[13] = !isNew && device != state.LastDevice ? 1f : 0f;
        features[14] = !isNew && merchant != state.LastMerchant ? 1f : 0f;
        features[15] = small10m;

        // Fold this transaction in.
        if (isNew)
        {
            state.MeanAmount = amount;
            state.VarAmount = 0f;
        }
        else
        {
            var delta = amount - state.MeanAmount;
            state.MeanAmount += EwmAlpha * delta;
            state.VarAmount = (1f - EwmAlpha) * (state.VarAmount + (EwmAlpha * delta * delta));
        }
        state.Count1h = count1h + 1f;
        state.Sum1h = sum1h + amount;
        state.Count24h = count24h + 1f;
        state.SmallCount10m = small10m + (amount < SmallAmount ? 1f : 0f);
        state.LastEventMs = isNew ? eventMs : Math.Max(state.LastEventMs, eventMs);
        state.Count++;
        state.LastCountry = country;
        state.LastDevice = device;
        state.LastMerchant = merchant;
    }

    private static bool IsOnline(string channel) =>
        channel.Equals("online", StringComparison.OrdinalIgnoreCase) || channel.Equals("ecom", StringComparison.OrdinalIgnoreCase);
}
