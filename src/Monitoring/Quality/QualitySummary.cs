using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Quality;

namespace Fraud.Streaming.Monitoring.Quality;

/// <summary>
/// Live quality of a set of verdicts (a day, or the matured window): counts by outcome, precision and recall at the review
/// and decline thresholds (a verdict is flagged at a threshold when its decision is at least that severe), ROC-AUC and
/// PR-AUC over the known outcomes, the money of the known frauds and the part caught (reviewed or declined), false
/// declines, and the same per fraud scenario. Precision and the AUCs need <paramref name="Matured"/> rows: before the
/// maturity window has passed, a genuine transaction's outcome is mostly unknown and they would read far too high.
/// </summary>
internal sealed record QualitySummary(
    long Transactions,
    long KnownFraud,
    long KnownGenuine,
    long Unknown,
    long ReviewFlagged,
    long ReviewFraud,
    long ReviewGenuine,
    long DeclineFlagged,
    long DeclineFraud,
    long FalseDeclines,
    double FraudAmount,
    double CaughtAmount,
    double? RocAuc,
    double? PrAuc,
    bool Matured,
    IReadOnlyList<ScenarioQuality> Scenarios)
{
    public double? RecallReview => KnownFraud == 0 ? null : (double)ReviewFraud / KnownFraud;
    public double? RecallDecline => KnownFraud == 0 ? null : (double)DeclineFraud / KnownFraud;
    public double? PrecisionReview => !Matured || ReviewFraud + ReviewGenuine == 0 ? null : (double)ReviewFraud / (ReviewFraud + ReviewGenuine);
    public double? PrecisionDecline => !Matured || DeclineFraud + FalseDeclines == 0 ? null : (double)DeclineFraud / (DeclineFraud + FalseDeclines);

    public static QualitySummary Of(IReadOnlyList<QualityRow> rows, bool matured)
    {
        ArgumentNullException.ThrowIfNull(rows);
        long fraud = 0, genuine = 0, unknown = 0, reviewFlagged = 0, reviewFraud = 0, reviewGenuine = 0, declineFlagged = 0, declineFraud = 0, falseDeclines = 0;
        double fraudAmount = 0, caughtAmount = 0;
        var scores = new List<float>(rows.Count);
        var labels = new List<bool>(rows.Count);
        var scenarios = new Dictionary<string, (long Frauds, long Review, long Decline, double Amount, double Caught)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var review = row.Decision != Decision.Approve;
            var decline = row.Decision == Decision.Decline;
            reviewFlagged += review ? 1 : 0;
            declineFlagged += decline ? 1 : 0;
            switch (row.Fraud)
            {
                case true:
                    fraud++;
                    fraudAmount += row.Amount;
                    reviewFraud += review ? 1 : 0;
                    declineFraud += decline ? 1 : 0;
                    caughtAmount += review ? row.Amount : 0;
                    var s = scenarios.GetValueOrDefault(row.Scenario ?? "unnamed");
                    scenarios[row.Scenario ?? "unnamed"] = (s.Frauds + 1, s.Review + (review ? 1 : 0), s.Decline + (decline ? 1 : 0),
                        s.Amount + row.Amount, s.Caught + (review ? row.Amount : 0));
                    break;
                case false:
                    genuine++;
                    reviewGenuine += review ? 1 : 0;
                    falseDeclines += decline ? 1 : 0;
                    break;
                default:
                    unknown++;
                    continue;
            }
            scores.Add(row.Score);
            labels.Add(row.Fraud.Value);
        }
        double? rocAuc = null, prAuc = null;
        if (matured && fraud > 0 && genuine > 0)
        {
            var evaluator = new BinaryEvaluator(scores.ToArray(), labels.ToArray());
            rocAuc = evaluator.RocAuc();
            prAuc = evaluator.AveragePrecision();
        }
        return new QualitySummary(rows.Count, fraud, genuine, unknown, reviewFlagged, reviewFraud, reviewGenuine, declineFlagged, declineFraud,
            falseDeclines, fraudAmount, caughtAmount, rocAuc, prAuc, matured,
            [.. scenarios.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new ScenarioQuality(p.Key, p.Value.Frauds, p.Value.Review, p.Value.Decline, p.Value.Amount, p.Value.Caught))]);
    }
}
