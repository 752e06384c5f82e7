using Fraud.Streaming.Trainer.Evaluation;

namespace Fraud.Streaming.Trainer.Tests;

public sealed class CostThresholdChooserTests
{
    [Fact]
    public void Hand_made_case_finds_the_known_optimum()
    {
        // Scores high to low: 0.9 F, 0.8 F, 0.7 G, 0.6 F, 0.5 G, 0.4 G, 0.3 F, 0.2 G, 0.1 G, 0.05 G (4 fraud, 6 good).
        float[] scores = [0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f, 0.3f, 0.2f, 0.1f, 0.05f];
        bool[] labels = [true, true, false, true, false, false, true, false, false, false];
        var costs = new DecisionCosts(MissedFraud: 100, Review: 10, DeclinedGood: 50);

        var choice = CostThresholdChooser.Choose(scores, labels, costs);

        // Decline the top two (both fraud, cost 0) and review 0.7 down to 0.3 (5 x 10): 50 in all. Stopping reviews at
        // 0.6 saves 3 reviews (30) but lets the 0.3 fraud through (100); declining 0.7 costs 50 instead of a 10 review;
        // reviewing the top two instead of declining them costs 20 more.
        Assert.Equal(0.8f, choice.Decline);
        Assert.Equal(0.3f, choice.Review);
        Assert.Equal(50 / 10.0, choice.ExpectedCost, 9);
        Assert.Equal(400 / 10.0, choice.ApproveAllCost, 9);
        Assert.Equal(choice.ExpectedCost, CostThresholdChooser.ExpectedCost(scores, labels, choice.Review, choice.Decline, costs), 9);
    }

    [Fact]
    public void When_reviews_are_dear_it_reviews_nothing_and_only_declines()
    {
        float[] scores = [0.9f, 0.8f, 0.1f, 0.05f];
        bool[] labels = [true, true, false, false];
        var choice = CostThresholdChooser.Choose(scores, labels, new DecisionCosts(MissedFraud: 100, Review: 1000, DeclinedGood: 50));
        Assert.Equal(0.8f, choice.Decline);
        Assert.Equal(choice.Decline, choice.Review);
        Assert.Equal(0, choice.ExpectedCost);
    }

    [Fact]
    public void With_no_fraud_nothing_is_flagged()
    {
        float[] scores = [0.3f, 0.2f, 0.1f];
        var choice = CostThresholdChooser.Choose(scores, [false, false, false], new DecisionCosts());
        Assert.True(choice.Review > 0.3f && choice.Decline > 0.3f);
        Assert.Equal(0, choice.ExpectedCost);
    }

    [Fact]
    public void The_linear_search_matches_brute_force_over_every_pair_of_cuts()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 200; trial++)
        {
            var n = random.Next(1, 40);
            // Coarse scores so that ties happen.
            var scores = Enumerable.Range(0, n).Select(_ => random.Next(0, 12) / 11f).ToArray();
            var labels = scores.Select(s => random.NextDouble() < 0.2 + (0.6 * s)).ToArray();
            var costs = new DecisionCosts(random.Next(1, 300), random.Next(0, 20), random.Next(0, 80));

            var choice = CostThresholdChooser.Choose(scores, labels, costs);

            // Every threshold in [0, 1] that makes a different cut: each distinct score, and just above the top one.
            var candidates = scores.Distinct().Append(MathF.BitIncrement(scores.Max())).Where(t => t <= 1f).ToArray();
            var best = double.PositiveInfinity;
            foreach (var review in candidates)
            {
                foreach (var decline in candidates.Where(d => d >= review))
                {
                    best = Math.Min(best, CostThresholdChooser.ExpectedCost(scores, labels, review, decline, costs));
                }
            }
            Assert.True(choice.Review <= choice.Decline, $"trial {trial}: review {choice.Review} > decline {choice.Decline}");
            Assert.True(Math.Abs(best - choice.ExpectedCost) < 1e-9,
                $"trial {trial}: brute force {best}, chosen {choice.ExpectedCost} at review {choice.Review} decline {choice.Decline}; costs {costs}; scores {string.Join(",", scores)}; labels {string.Join(",", labels.Select(l => l ? 1 : 0))}");
            Assert.Equal(choice.ExpectedCost, CostThresholdChooser.ExpectedCost(scores, labels, choice.Review, choice.Decline, costs), 9);
        }
    }

    [Fact]
    public void A_top_score_of_exactly_one_cannot_be_left_unflagged_and_the_cost_says_so()
    {
        float[] scores = [1f, 0.5f];
        bool[] labels = [false, false];
        var costs = new DecisionCosts(MissedFraud: 100, Review: 1, DeclinedGood: 50);
        var choice = CostThresholdChooser.Choose(scores, labels, costs);
        // Every threshold in [0, 1] flags the row scoring 1, and decline ≥ review, so it is declined whatever: the cheapest
        // is to flag nothing else (review = decline = 1), costing 50 over 2 rows.
        Assert.Equal(1f, choice.Review);
        Assert.Equal(1f, choice.Decline);
        Assert.Equal(25, choice.ExpectedCost, 9);
        Assert.Equal(CostThresholdChooser.ExpectedCost(scores, labels, choice.Review, choice.Decline, costs), choice.ExpectedCost, 9);
    }

    [Theory]
    [InlineData(-1, 5, 30, "--cost-missed-fraud")]
    [InlineData(0, 5, 30, "--cost-missed-fraud")]
    [InlineData(200, double.NaN, 30, "--cost-review")]
    [InlineData(200, 5, -0.5, "--cost-declined-good")]
    public void Bad_costs_are_refused_naming_the_flag(double missed, double review, double declined, string flag)
    {
        var ex = Assert.Throws<ArgumentException>(() => new DecisionCosts(missed, review, declined).Validate());
        Assert.Contains(flag, ex.Message, StringComparison.Ordinal);
    }
}
