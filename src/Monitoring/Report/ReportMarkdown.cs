using System.Globalization;
using System.Text;

namespace Fraud.Streaming.Monitoring.Report;

/// <summary>The report as Markdown: live quality per model and day, champion against challenger, scenarios, drift, retrain requests.</summary>
internal static class ReportMarkdown
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <param name="plots">the plot files written beside the report, to link; empty when printing.</param>
    public static string Render(ReportData d, IReadOnlyList<string> plots)
    {
        var md = new StringBuilder();
        Line(md, $"# Model monitoring: {d.ModelName}");
        Line(md);
        Line(md, $"As of {d.AsOf:u} (the history's newest transaction; outcomes mature against it), days from {d.From:yyyy-MM-dd}. " +
            $"Champion: {d.Champion?.Version ?? "none"}; challenger: {d.Challenger?.Version ?? "none"}.");
        Line(md);
        Line(md, "Outcomes as issuers report them: known once reported (or reviewed), or once matured without a report (genuine). Recall counts " +
            "the known frauds from their first report on; precision and the AUCs need a matured day. \"review\" means reviewed or declined.");
        foreach (var plot in plots)
        {
            Line(md);
            Line(md, $"![{Path.GetFileNameWithoutExtension(plot)}]({plot})");
        }

        Line(md);
        Line(md, "## Live quality by day");
        foreach (var group in d.Quality.GroupBy(q => (q.Source, q.ModelVersion)))
        {
            Line(md);
            Line(md, $"### {group.Key.ModelVersion} ({(group.Key.Source == "live" ? "live: its decisions" : "shadow: the challenger, scored beside them")})");
            Line(md);
            Line(md, "| day | transactions | frauds known | genuine known | unknown | recall review | precision review | recall decline | precision decline | false declines | ROC-AUC | PR-AUC | fraud money | caught | matured |");
            Line(md, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
            foreach (var q in group)
            {
                Line(md, $"| {q.Day:yyyy-MM-dd} | {q.Transactions} | {q.KnownFraud} | {q.KnownGenuine} | {q.Unknown} | {F(q.RecallReview)} | {F(q.PrecisionReview)} | " +
                    $"{F(q.RecallDecline)} | {F(q.PrecisionDecline)} | {q.FalseDeclines} | {F(q.RocAuc)} | {F(q.PrAuc)} | {q.FraudAmount:F2} | {q.CaughtAmount:F2} | {(q.Matured ? "yes" : "no")} |");
            }
        }
        if (d.Quality.Count == 0)
        {
            Line(md);
            Line(md, "No live quality yet (Monitoring computes it as verdicts and labels arrive).");
        }

        Line(md);
        Line(md, "## Champion and challenger on the same transactions");
        Line(md);
        if (d.Live is { } live)
        {
            Line(md, $"{live.Transactions} matured transactions both scored ({live.Frauds} frauds):");
            Line(md);
            Line(md, "| | ROC-AUC | PR-AUC |");
            Line(md, "| --- | ---: | ---: |");
            Line(md, $"| champion {live.Champion} | {live.ChampionRocAuc:F4} | {live.ChampionPrAuc:F4} |");
            Line(md, $"| challenger {live.Challenger} | {live.ChallengerRocAuc:F4} | {live.ChallengerPrAuc:F4} |");
        }
        else
        {
            Line(md, d.Challenger is null ? "No challenger." : $"No matured transaction both {d.Champion?.Version} and {d.Challenger.Version} scored yet.");
        }

        Line(md);
        Line(md, "## Fraud scenarios");
        Line(md);
        Line(md, "| model | source | scenario | frauds | recall review | recall decline | fraud money | caught |");
        Line(md, "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var s in d.Scenarios)
        {
            Line(md, $"| {s.ModelVersion} | {s.Source} | {s.Scenario} | {s.Frauds} | {Ratio(s.ReviewCaught, s.Frauds)} | {Ratio(s.DeclineCaught, s.Frauds)} | {s.FraudAmount:F2} | {s.CaughtAmount:F2} |");
        }

        Line(md);
        Line(md, "## Drift by day");
        Line(md);
        Line(md, "Population stability index against the model's training reference, over every scorer's transactions of the day (0.1: moderate, 0.25: major).");
        Line(md);
        Line(md, "| model | day | transactions | score PSI | worst feature | its PSI | highest unseen rate |");
        Line(md, "| --- | --- | ---: | ---: | --- | ---: | ---: |");
        foreach (var r in d.Drift)
        {
            Line(md, $"| {r.ModelVersion} | {r.Day:yyyy-MM-dd} | {r.Transactions} | {r.ScorePsi:F3} | {r.WorstFeature} | {r.WorstFeaturePsi:F3} | {r.WorstUnseenField} {r.WorstUnseenRate * 100:F2}% |");
        }

        Line(md);
        Line(md, "## Retrain requests");
        Line(md);
        Line(md, "| # | requested | trigger | serving | reason | closed by | closed |");
        Line(md, "| ---: | --- | --- | --- | --- | --- | --- |");
        foreach (var r in d.Requests)
        {
            Line(md, $"| {r.Id} | {r.RequestedAt:u} | {r.Trigger} | {r.ModelVersion} | {r.Reason} | {r.ClosedByVersion ?? "open"} | {(r.ClosedAt is { } at ? at.ToString("u", Inv) : "")} |");
        }
        return md.ToString();
    }

    private static string F(double? value) => value is { } v ? v.ToString("F4", Inv) : "–";

    private static string Ratio(long part, long whole) => whole == 0 ? "–" : ((double)part / whole).ToString("F4", Inv);

    private static void Line(StringBuilder md, FormattableString? text = null) => md.Append(text?.ToString(Inv) ?? "").Append('\n');

    private static void Line(StringBuilder md, string text) => md.Append(text).Append('\n');
}
