using System.Globalization;
using Fraud.Streaming.Monitoring.Quality;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Models;
using Microsoft.Extensions.Options;

namespace Fraud.Streaming.Monitoring.Retraining;

/// <summary>
/// When drift or live quality calls for a new model: drift when a scorer reports, <see cref="RetrainOptions.ConsecutiveReports"/>
/// times in a row, a window of enough transactions whose feature, score or unseen-value signal crossed its limit; quality
/// when the serving model's matured window, with enough frauds, fell below a configured limit. The request says which
/// signal, its value and the limit.
/// </summary>
internal sealed class RetrainPolicy(IOptions<RetrainOptions> options, RetrainRequester requester)
{
    private readonly Dictionary<string, int> _breachesInARow = new(StringComparer.Ordinal);

    /// <summary>Called for every drift report, on the signals consumer's thread.</summary>
    public async Task OnDriftAsync(DriftReport report, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var breach = DriftBreach(report.Window, o);
        if (!o.Enabled || breach is null)
        {
            _breachesInARow.Remove(report.Source);
            return;
        }
        var inARow = _breachesInARow[report.Source] = _breachesInARow.GetValueOrDefault(report.Source) + 1;
        if (inARow >= o.ConsecutiveReports)
        {
            await requester.RaiseAsync(report.ModelVersion, RetrainRequestRow.Drift, Invariant(
                $"{breach} over the last {report.Window.Seconds} s ({report.Window.Transactions} transactions, {inARow} reports in a row from {report.Source})"),
                cancellationToken);
        }
    }

    /// <summary>Called after each quality pass with the serving version's matured window.</summary>
    public async Task OnQualityAsync(string servingVersion, QualitySummary window, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.Enabled && QualityBreach(window, o) is { } breach)
        {
            await requester.RaiseAsync(servingVersion, RetrainRequestRow.Quality,
                Invariant($"{breach} over the matured window ({window.KnownFraud} frauds, {window.KnownGenuine} genuine)"), cancellationToken);
        }
    }

    /// <summary>The signals over their limits, worst first; null when none is (or the window is too small to say).</summary>
    internal static string? DriftBreach(DriftWindow window, RetrainOptions o)
    {
        if (window.Transactions < o.MinWindowTransactions)
        {
            return null;
        }
        var breaches = window.FeaturePsi.Where(p => p.Value >= o.MaxFeaturePsi).OrderByDescending(p => p.Value)
            .Select(p => Invariant($"{p.Key} PSI {p.Value:F3} >= {o.MaxFeaturePsi}"))
            .ToList();
        if (window.ScorePsi >= o.MaxScorePsi)
        {
            breaches.Insert(0, Invariant($"score PSI {window.ScorePsi:F3} >= {o.MaxScorePsi}"));
        }
        breaches.AddRange(window.UnseenRate.Where(p => p.Value >= o.MaxUnseenRate).OrderByDescending(p => p.Value)
            .Select(p => Invariant($"unseen {p.Key} {p.Value * 100:F1}% >= {o.MaxUnseenRate * 100:F1}%")));
        return breaches.Count == 0 ? null
            : string.Join(", ", breaches.Take(3)) + (breaches.Count > 3 ? Invariant($" and {breaches.Count - 3} more") : "");
    }

    internal static string? QualityBreach(QualitySummary window, RetrainOptions o)
    {
        if (!window.Matured || window.KnownFraud < o.MinWindowFrauds)
        {
            return null;
        }
        var breaches = new List<string>();
        if (o.MinRocAuc is { } auc && window.RocAuc < auc)
        {
            breaches.Add(Invariant($"ROC-AUC {window.RocAuc:F4} < {auc}"));
        }
        if (o.MinPrAuc is { } ap && window.PrAuc < ap)
        {
            breaches.Add(Invariant($"PR-AUC {window.PrAuc:F4} < {ap}"));
        }
        if (o.MinRecallAtReview is { } recall && window.RecallReview < recall)
        {
            breaches.Add(Invariant($"recall at review {window.RecallReview:F4} < {recall}"));
        }
        return breaches.Count == 0 ? null : string.Join(", ", breaches);
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
