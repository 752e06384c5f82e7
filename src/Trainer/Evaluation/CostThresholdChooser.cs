namespace Fraud.Streaming.Trainer.Evaluation;

/// <summary>The chosen pair and what it costs on the rows it was chosen on.</summary>
internal readonly record struct CostChoice(float Review, float Decline, double ExpectedCost, double ApproveAllCost);

/// <summary>
/// Chooses review and decline thresholds that minimise the expected cost per transaction (<see cref="DecisionCosts"/>)
/// over every pair of cut points between distinct scores with review ≤ decline.
/// </summary>
/// <remarks>
/// With the rows sorted by score, flagging the top r score groups for review-or-decline and the top d ≤ r for decline
/// costs <c>A(r) + B(d)</c> with <c>A(r) = missed·(P − TP_r) + review·(TP_r + FP_r)</c> and
/// <c>B(d) = declinedGood·FP_d − review·(TP_d + FP_d)</c>. So one pass over r keeping the best d ≤ r so far finds the
/// optimum in linear time after the sort. Ties go to fewer flagged rows.
/// </remarks>
internal static class CostThresholdChooser
{
    /// <exception cref="ArgumentException">lengths differ, no rows, or a score is NaN.</exception>
    public static CostChoice Choose(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels, DecisionCosts costs)
    {
        if (scores.Length != labels.Length || scores.Length == 0)
        {
            throw new ArgumentException($"{scores.Length} scores for {labels.Length} labels: need the same, non-zero number");
        }
        var order = new int[scores.Length];
        for (var i = 0; i < order.Length; i++)
        {
            if (float.IsNaN(scores[i]))
            {
                throw new ArgumentException("a score is NaN");
            }
            order[i] = i;
        }
        var s = scores.ToArray();
        Array.Sort(order, (a, b) => s[b].CompareTo(s[a]));

        // Cut i flags the top i distinct-score groups: tp[i], fp[i] and the lowest flagged score groupScore[i - 1].
        var tp = new List<long> { 0 };
        var fp = new List<long> { 0 };
        var groupScore = new List<float>();
        long positives = 0;
        for (var i = 0; i < order.Length;)
        {
            var score = s[order[i]];
            long p = 0, n = 0;
            for (; i < order.Length && s[order[i]] == score; i++)
            {
                if (labels[order[i]]) { p++; } else { n++; }
            }
            positives += p;
            tp.Add(tp[^1] + p);
            fp.Add(fp[^1] + n);
            groupScore.Add(score);
        }

        // Thresholds live in [0, 1]: when the top score is 1, no threshold flags nothing, so cut 0 is no candidate.
        var first = groupScore[0] >= 1f ? 1 : 0;
        var bestCost = double.PositiveInfinity;
        int bestReview = first, bestDecline = first;
        var bestB = double.PositiveInfinity;
        var bestD = first;
        for (var r = first; r < tp.Count; r++)
        {
            var b = (costs.DeclinedGood * fp[r]) - (costs.Review * (tp[r] + fp[r]));
            if (b < bestB)
            {
                bestB = b;
                bestD = r;
            }
            var a = (costs.MissedFraud * (positives - tp[r])) + (costs.Review * (tp[r] + fp[r]));
            if (a + bestB < bestCost)
            {
                bestCost = a + bestB;
                bestReview = r;
                bestDecline = bestD;
            }
        }
        var rows = (double)scores.Length;
        return new CostChoice(Threshold(bestReview), Threshold(bestDecline), bestCost / rows, costs.MissedFraud * positives / rows);

        // Nothing flagged: just above the highest score.
        float Threshold(int cut) => cut == 0 ? MathF.BitIncrement(groupScore[0]) : groupScore[cut - 1];
    }

    /// <summary>Expected cost per transaction of deciding <paramref name="scores"/> with the given thresholds.</summary>
    public static double ExpectedCost(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels, float review, float decline, DecisionCosts costs)
    {
        double total = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var declined = scores[i] >= decline;
            var reviewed = !declined && scores[i] >= review;
            total += labels[i]
                ? (declined ? 0 : reviewed ? costs.Review : costs.MissedFraud)
                : (declined ? costs.DeclinedGood : reviewed ? costs.Review : 0);
        }
        return total / Math.Max(1, scores.Length);
    }
}
