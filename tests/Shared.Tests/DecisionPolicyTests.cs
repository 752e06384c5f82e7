using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Shared.Tests;

public sealed class DecisionPolicyTests
{
    private static readonly Thresholds Cuts = new(0.3f, 0.8f);

    [Theory]
    [InlineData(0f, Decision.Approve)]
    [InlineData(0.2999f, Decision.Approve)]
    [InlineData(0.3f, Decision.Review)]
    [InlineData(0.7999f, Decision.Review)]
    [InlineData(0.8f, Decision.Decline)]
    [InlineData(1f, Decision.Decline)]
    public void Scores_map_to_decisions_at_inclusive_thresholds(float score, Decision expected) =>
        Assert.Equal(expected, DecisionPolicy.Decide(score, Cuts));

    [Theory]
    [InlineData(0.9f, 0.5f)]
    [InlineData(-0.1f, 0.5f)]
    [InlineData(0.1f, 1.5f)]
    [InlineData(float.NaN, 0.5f)]
    public void Unusable_thresholds_are_refused(float review, float decline) =>
        Assert.Throws<InvalidOperationException>(() => DecisionPolicy.Validate(new Thresholds(review, decline)));
}
