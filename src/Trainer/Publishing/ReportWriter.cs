using System.Globalization;
using System.Text;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Quality;
using Fraud.Streaming.Trainer.Evaluation;
using Fraud.Streaming.Trainer.Training;

namespace Fraud.Streaming.Trainer.Publishing;

/// <summary>The human-readable <c>report.md</c> beside a model package.</summary>
internal static class ReportWriter
{
    public static string Render(ModelManifest manifest, TrainingSummary summary)
    {
        var inv = CultureInfo.InvariantCulture;
        var m = manifest.Metrics;
        var s = new StringBuilder();
        s.Append(inv, $"# {manifest.ModelName} {manifest.Version}\n\n");
        s.Append(inv, $"- algorithm: {manifest.Algorithm} on {manifest.Device}, code {manifest.CodeVersion}\n");
        s.Append(inv, $"- feature spec: {manifest.FeatureSpec.Name} ({manifest.FeatureSpec.Hash}), {manifest.FeatureSpec.Features.Count} features\n");
        s.Append(inv, $"- parameters: {string.Join(", ", manifest.Parameters.Select(p => $"{p.Key}={p.Value}"))}\n");
        s.Append(inv, $"- content hash: `{manifest.Training.ContentHash}` (labelled rows, feature spec, algorithm and parameters; not the device)\n\n");

        s.Append("## Data (split by event time)\n\n| slice | rows | fraud | from | to |\n| --- | ---: | ---: | --- | --- |\n");
        s.Append(inv, $"| history (all transactions) | {summary.TransactionCount} | | | |\n");
        Slice(s, "training", summary.Split.Train);
        Slice(s, "validation (early stopping, thresholds)", summary.Split.Validation);
        Slice(s, "holdout (evaluation only)", summary.Split.Holdout);

        s.Append("\n## Holdout metrics\n\n| metric | value |\n| --- | ---: |\n");
        s.Append(inv, $"| ROC-AUC | {m.RocAuc:F4} |\n| PR-AUC (average precision) | {m.PrAuc:F4} |\n| recall at 1% FPR | {m.RecallAt1PctFpr:F4} |\n");
        s.Append(inv, $"| Brier score | {summary.Calibration.Brier:F5} |\n| expected calibration error (score deciles) | {summary.Calibration.ExpectedCalibrationError:F5} |\n");
        s.Append(inv, $"| max abs(ONNX − trainer) probability | {summary.ExportMaxAbsDiff:E2} |\n\n");
        foreach (var plot in summary.Plots)
        {
            s.Append(inv, $"![{Path.GetFileNameWithoutExtension(plot)}]({plot})\n");
        }

        s.Append("\n## Thresholds (chosen on validation, measured on the holdout)\n\n");
        if (summary.ThresholdMode == ThresholdMode.Cost)
        {
            var c = summary.Costs;
            s.Append(inv, $"Chosen to minimise the expected cost per transaction on the validation slice, over every pair of cut points with review ≤ decline. ");
            s.Append(inv, $"Costs per transaction: missed fraud {c.MissedFraud:G6}, review {c.Review:G6} (a reviewed fraud is caught), declined good customer {c.DeclinedGood:G6}; declined fraud and approved good cost nothing.\n\n");
            s.Append("| expected cost per transaction | validation | holdout |\n| --- | ---: | ---: |\n");
            s.Append(inv, $"| with these thresholds | {summary.ValidationChoice.ExpectedCost:F4} | {summary.HoldoutExpectedCost:F4} |\n");
            s.Append(inv, $"| approving everything | {summary.ValidationChoice.ApproveAllCost:F4} | {c.MissedFraud * summary.Split.Holdout.FraudCount / (double)summary.Split.Holdout.RowCount:F4} |\n\n");
        }
        else
        {
            s.Append(inv, $"Cut where the validation false-positive rate is at most {summary.ReviewFpr:P2} (review) and {summary.DeclineFpr:P2} (decline).\n\n");
        }
        s.Append("| decision | threshold | TP | FP | TN | FN | recall | precision | FPR |\n");
        s.Append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        Row(s, "review or decline (score ≥ review)", manifest.Thresholds.Review, summary.ReviewConfusion);
        Row(s, "decline (score ≥ decline)", manifest.Thresholds.Decline, summary.DeclineConfusion);

        s.Append("\n## Calibration by score decile (holdout)\n\n| decile | rows | scores | mean predicted | observed fraud rate |\n| ---: | ---: | --- | ---: | ---: |\n");
        foreach (var b in summary.Calibration.Deciles)
        {
            s.Append(inv, $"| {b.Decile} | {b.Count} | {b.MinScore:G4} – {b.MaxScore:G4} | {b.MeanPredicted:F5} | {b.ObservedRate:F5} |\n");
        }
        s.Append("\nTimings: ").Append(string.Join(", ", summary.Timings.Select(t => string.Create(inv, $"{t.Key} {t.Value.TotalSeconds:F2} s")))).Append('\n');
        return s.ToString();
    }

    private static void Slice(StringBuilder s, string name, FeatureTable t) =>
        s.Append(CultureInfo.InvariantCulture, $"| {name} | {t.RowCount} | {t.FraudCount} | {t.EventTimes[0]:O} | {t.EventTimes[^1]:O} |\n");

    private static void Row(StringBuilder s, string name, float threshold, Confusion c) =>
        s.Append(CultureInfo.InvariantCulture,
            $"| {name} | {threshold:G6} | {c.TruePositives} | {c.FalsePositives} | {c.TrueNegatives} | {c.FalseNegatives} | {c.Recall:F4} | {c.Precision:F4} | {c.FalsePositiveRate:P3} |\n");
}
