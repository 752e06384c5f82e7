using System.Globalization;
using System.Text;
using ScottPlot;

namespace Fraud.Streaming.Trainer.Backtest;

/// <summary>The backtest as Markdown (a table per period and one per scenario) and two plots.</summary>
internal static class BacktestReport
{
    public const string ReportFile = "backtest.md";
    public const string MetricsPlot = "backtest-metrics.png";
    public const string ScenariosPlot = "backtest-scenarios.png";

    /// <summary>The files a backtest writes into its folder.</summary>
    public static readonly string[] Files = [ReportFile, MetricsPlot, ScenariosPlot];

    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<PeriodResult> periods, BacktestSettings settings, string source)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, ReportFile), Render(periods, settings, source));
        Plot(periods, Path.Combine(directory, MetricsPlot), "Walk-forward: each period scored by the model trained at its start", [
            ("ROC-AUC", p => p.RocAuc),
            ("PR-AUC", p => p.PrAuc),
            ("recall at 1% FPR", p => p.RecallAt1PctFpr),
            ("card precision@100 per day", p => p.CardPrecisionAt100),
        ]);
        var scenarios = periods.SelectMany(p => p.Scenarios.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        Plot(periods, Path.Combine(directory, ScenariosPlot), "Recall at 1% FPR per fraud scenario",
            scenarios.Select(s => (s, (Func<PeriodResult, double>)(p => p.Scenarios.TryGetValue(s, out var r) ? r.Recall : double.NaN))).ToList());
        return [ReportFile, MetricsPlot, ScenariosPlot];
    }

    /// <summary>For each scenario, the first period it appears in and the first after that whose recall reached 50%.</summary>
    public static IEnumerable<(string Scenario, int FirstSeen, int? FirstCaught)> Adaptation(IReadOnlyList<PeriodResult> periods)
    {
        foreach (var scenario in periods.SelectMany(p => p.Scenarios.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            var seen = periods.ToList().FindIndex(p => p.Scenarios.ContainsKey(scenario));
            var caught = periods.ToList().FindIndex(seen, p => p.Scenarios.TryGetValue(scenario, out var r) && r.Recall >= 0.5);
            yield return (scenario, seen, caught < 0 ? null : caught);
        }
    }

    internal static string Render(IReadOnlyList<PeriodResult> periods, BacktestSettings settings, string source)
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.Append(inv, $"# Walk-forward backtest\n\nHistory: {source}. Retrain every {settings.EveryDays} days; at each retrain the model trains as of that instant (transactions before it, labels received by it, silence genuine after {settings.LabelMaturityDays} days) and scores the next period with card and merchant/device state carried over the whole stream. Outcomes: reported (or labelled) fraud by the end of the history. Spec {settings.Spec.Name}/{settings.Spec.Hash}.\n\n");
        md.Append("| period | trained on (fraud) | scored (fraud) | ROC-AUC | PR-AUC | recall @1% FPR | card precision@100/day |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        foreach (var p in periods)
        {
            md.Append(inv, $"| {p.Start:yyyy-MM-dd} – {p.End:yyyy-MM-dd} | {p.TrainRows:N0} ({p.TrainFraud:N0}) | {p.Scored:N0} ({p.Fraud:N0}) | {F(p.RocAuc)} | {F(p.PrAuc)} | {F(p.RecallAt1PctFpr)} | {F(p.CardPrecisionAt100)} |\n");
        }
        var scenarios = periods.SelectMany(p => p.Scenarios.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        if (scenarios.Count > 0)
        {
            md.Append("\n## Recall at 1% FPR per scenario (fraud transactions in the period)\n\n| period | ");
            md.Append(string.Join(" | ", scenarios)).Append(" |\n| --- |").Append(string.Concat(Enumerable.Repeat(" ---: |", scenarios.Count))).Append('\n');
            foreach (var p in periods)
            {
                md.Append(inv, $"| {p.Start:yyyy-MM-dd} |");
                foreach (var s in scenarios)
                {
                    md.Append(p.Scenarios.TryGetValue(s, out var r) ? string.Create(inv, $" {r.Recall:F3} ({r.Fraud}) |") : " – |");
                }
                md.Append('\n');
            }
            md.Append("\n## How fast each scenario is learned\n\n| scenario | first period seen | periods until recall ≥ 50% |\n| --- | --- | ---: |\n");
            foreach (var (scenario, seen, caught) in Adaptation(periods))
            {
                md.Append(inv, $"| {scenario} | {periods[seen].Start:yyyy-MM-dd} | {(caught is { } c ? (c - seen).ToString(inv) : "not within the history")} |\n");
            }
        }
        md.Append(inv, $"\n![metrics]({MetricsPlot})\n\n![scenarios]({ScenariosPlot})\n");
        return md.ToString();
    }

    private static string F(double value) => double.IsNaN(value) ? "–" : value.ToString("F4", CultureInfo.InvariantCulture);

    private static void Plot(IReadOnlyList<PeriodResult> periods, string path, string title, IReadOnlyList<(string Name, Func<PeriodResult, double> Value)> series)
    {
        using var plot = new Plot();
        var x = periods.Select(p => p.Start.UtcDateTime.ToOADate()).ToArray();
        foreach (var (name, value) in series)
        {
            var line = plot.Add.Scatter(x, periods.Select(value).ToArray());
            line.LegendText = name;
            line.LineWidth = 2;
            line.MarkerSize = 6;
        }
        plot.Axes.DateTimeTicksBottom();
        plot.Axes.SetLimitsY(0, 1.05);
        plot.Title(title);
        plot.YLabel("period value");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 800, 480);
    }
}
