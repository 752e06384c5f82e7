namespace Fraud.Streaming.Trainer.Evaluation;

/// <summary>
/// What each outcome costs, per transaction, in one currency. A reviewed fraud is caught (it costs the review), a
/// declined fraud costs nothing, an approved good transaction costs nothing. The defaults: a missed fraud loses the
/// amount plus chargeback fees (about 200), a review is a few analyst minutes (about 5), a declined good customer is
/// lost margin, a support call and some churn (about 30). So a transaction is worth reviewing above a fraud
/// probability of about 5/200 = 2.5%, and worth declining rather than reviewing above about 1 − 5/30 ≈ 83%.
/// </summary>
internal sealed record DecisionCosts(double MissedFraud = 200, double Review = 5, double DeclinedGood = 30)
{
    /// <exception cref="ArgumentException">a cost is negative, not a number, or no fraud cost is set.</exception>
    public void Validate()
    {
        foreach (var (name, value) in new[] { ("--cost-missed-fraud", MissedFraud), ("--cost-review", Review), ("--cost-declined-good", DeclinedGood) })
        {
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentException($"{name} must be a finite cost ≥ 0, not {value}");
            }
        }
        if (MissedFraud <= 0)
        {
            throw new ArgumentException("--cost-missed-fraud must be above 0: with free fraud no threshold is worth choosing");
        }
    }
}
