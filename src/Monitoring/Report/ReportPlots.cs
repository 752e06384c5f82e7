using ScottPlot;

namespace Fraud.Streaming.Monitoring.Report;

/// <summary>The report's plots as PNG files: recall and PR-AUC by day per model and source, drift by day per model.</summary>
internal static class ReportPlots
{
    public const string RecallFile = "recall.png";
    public const string PrAucFile = "pr_auc.png";
    public const string DriftFile = "drift.png";

    /// <returns>the files written (a plot with nothing to draw is left out).</returns>
    public static IReadOnlyList<string> Write(string directory, ReportData d)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        var byModel = d.Quality.GroupBy(q => $"{q.ModelVersion} ({q.Source})").ToList();
        if (Lines(directory, RecallFile, "Recall at the review threshold, by day", "recall",
                byModel.Select(g => (g.Key, g.Where(q => q.RecallReview is not null).Select(q => (q.Day, q.RecallReview!.Value)).ToList()))))
        {
            written.Add(RecallFile);
        }
        if (Lines(directory, PrAucFile, "PR-AUC of matured days", "PR-AUC",
                byModel.Select(g => (g.Key, g.Where(q => q.PrAuc is not null).Select(q => (q.Day, q.PrAuc!.Value)).ToList()))))
        {
            written.Add(PrAucFile);
        }
        var drift = d.Drift.GroupBy(r => r.ModelVersion).ToList();
        if (Lines(directory, DriftFile, "Drift by day (PSI against the training reference)", "PSI",
                drift.Select(g => ($"{g.Key} score", g.Select(r => (r.Day, r.ScorePsi)).ToList()))
                    .Concat(drift.Select(g => ($"{g.Key} worst feature", g.Select(r => (r.Day, r.WorstFeaturePsi)).ToList())))))
        {
            written.Add(DriftFile);
        }
        return written;
    }

    private static bool Lines(string directory, string file, string title, string y, IEnumerable<(string Name, List<(DateTime Day, double Value)> Points)> series)
    {
        using var plot = new Plot();
        var any = false;
        foreach (var (name, points) in series.Where(s => s.Points.Count > 0))
        {
            var line = plot.Add.ScatterLine(points.Select(p => p.Day.ToOADate()).ToArray(), points.Select(p => p.Value).ToArray());
            line.LegendText = name;
            line.LineWidth = 2;
            any = true;
        }
        if (!any)
        {
            return false;
        }
        plot.Axes.DateTimeTicksBottom();
        plot.Title(title);
        plot.XLabel("event day (UTC)");
        plot.YLabel(y);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(Path.Combine(directory, file), 800, 450);
        return true;
    }
}
