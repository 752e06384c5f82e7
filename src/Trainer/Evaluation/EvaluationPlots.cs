using System.Globalization;
using Fraud.Streaming.Shared.Quality;
using ScottPlot;

namespace Fraud.Streaming.Trainer.Evaluation;

/// <summary>ROC, precision/recall and reliability plots of the holdout as PNG files (ScottPlot, rendered by SkiaSharp).</summary>
internal static class EvaluationPlots
{
    public const string RocFile = "roc.png";
    public const string PrFile = "pr.png";
    public const string CalibrationFile = "calibration.png";
    private const int Width = 640;
    private const int Height = 480;

    // A curve with a point per distinct score can have a million points; a few thousand draw the same picture.
    private const int MaxPoints = 2000;

    /// <summary>Writes the three plots into <paramref name="directory"/>; returns their file names.</summary>
    public static IReadOnlyList<string> Write(string directory, BinaryEvaluator holdout, CalibrationReport calibration, double rocAuc, double prAuc)
    {
        Directory.CreateDirectory(directory);
        var inv = CultureInfo.InvariantCulture;

        var roc = Thin(holdout.RocCurve());
        using (var plot = new Plot())
        {
            var curve = plot.Add.ScatterLine(roc.Select(p => p.Item1).ToArray(), roc.Select(p => p.Item2).ToArray());
            curve.LegendText = string.Create(inv, $"model (AUC {rocAuc:F4})");
            curve.LineWidth = 2;
            var chance = plot.Add.Line(0, 0, 1, 1);
            chance.LinePattern = LinePattern.Dashed;
            chance.LegendText = "chance";
            Finish(plot, "ROC curve (holdout)", "false-positive rate", "true-positive rate", Path.Combine(directory, RocFile));
        }

        var pr = Thin(holdout.PrecisionRecallCurve());
        using (var plot = new Plot())
        {
            var curve = plot.Add.ScatterLine(pr.Select(p => p.Item1).ToArray(), pr.Select(p => p.Item2).ToArray());
            curve.LegendText = string.Create(inv, $"model (average precision {prAuc:F4})");
            curve.LineWidth = 2;
            var baseRate = (double)holdout.Positives / (holdout.Positives + holdout.Negatives);
            var chance = plot.Add.Line(0, baseRate, 1, baseRate);
            chance.LinePattern = LinePattern.Dashed;
            chance.LegendText = string.Create(inv, $"fraud rate {baseRate:P2}");
            Finish(plot, "Precision / recall (holdout)", "recall", "precision", Path.Combine(directory, PrFile));
        }

        using (var plot = new Plot())
        {
            var bins = calibration.Deciles;
            var curve = plot.Add.Scatter(bins.Select(b => b.MeanPredicted).ToArray(), bins.Select(b => b.ObservedRate).ToArray());
            curve.LegendText = string.Create(inv, $"score deciles (ECE {calibration.ExpectedCalibrationError:F4})");
            curve.LineWidth = 2;
            curve.MarkerSize = 8;
            var top = Math.Max(1e-3, bins.Max(b => Math.Max(b.MeanPredicted, b.ObservedRate)) * 1.05);
            var perfect = plot.Add.Line(0, 0, top, top);
            perfect.LinePattern = LinePattern.Dashed;
            perfect.LegendText = "perfectly calibrated";
            Finish(plot, "Reliability by score decile (holdout)", "mean predicted probability", "observed fraud rate",
                Path.Combine(directory, CalibrationFile), limit: top);
        }
        return [RocFile, PrFile, CalibrationFile];
    }

    private static void Finish(Plot plot, string title, string x, string y, string path, double limit = 1)
    {
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        plot.Axes.SetLimits(0, limit, 0, limit);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, Width, Height);
    }

    private static List<(double, double)> Thin(IReadOnlyList<(double, double)> points)
    {
        if (points.Count <= MaxPoints)
        {
            return [.. points];
        }
        var step = (double)(points.Count - 1) / (MaxPoints - 1);
        return Enumerable.Range(0, MaxPoints).Select(i => points[(int)Math.Round(i * step)]).ToList();
    }
}
