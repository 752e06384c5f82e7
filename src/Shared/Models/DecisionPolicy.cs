using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Shared.Models;

/// <summary>Maps a score to a decision with the model's thresholds: decline at or above Decline, review at or above Review.</summary>
public static class DecisionPolicy
{
    public static Decision Decide(float score, Thresholds thresholds) =>
        score >= thresholds.Decline ? Decision.Decline
        : score >= thresholds.Review ? Decision.Review
        : Decision.Approve;

    /// <exception cref="InvalidOperationException">thresholds that cannot be applied.</exception>
    public static void Validate(Thresholds thresholds)
    {
        if (!(thresholds.Review is >= 0f and <= 1f) || !(thresholds.Decline is >= 0f and <= 1f))
        {
            throw new InvalidOperationException($"thresholds must lie in [0, 1]: review={thresholds.Review}, decline={thresholds.Decline}");
        }
        if (thresholds.Review > thresholds.Decline)
        {
            throw new InvalidOperationException($"review threshold {thresholds.Review} is above decline threshold {thresholds.Decline}");
        }
    }
}
