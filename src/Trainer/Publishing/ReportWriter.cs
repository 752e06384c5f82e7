using System.Globalization;
using System.Text;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Trainer.Evaluation;

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
        s.Append(inv, $"- content hash: `{manifest.Training.ContentHash}`\n\n");

        s.Append("## Data\n\n| | rows | fraud | from | to |\n| --- | ---: | ---: | --- | --- |\n");
        s.Append(inv, $"| history (all transactions) | {summary.TransactionCount} | | | |\n");
        s.Append(inv, $"| training | {manifest.Training.RowCount} | {manifest.Training.FraudCount} | {manifest.Training.WindowStart:O} | {manifest.Training.WindowEnd:O} |\n");
        s.Append(inv, $"| holdout (newest {summary.HoldoutFraction:P0}) | {manifest.Training.HoldoutRowCount} | {summary.HoldoutFraud} | {summary.HoldoutStart:O} | {summary.HoldoutEnd:O} |\n\n");

        s.Append("## Holdout metrics\n\n| metric | value |\n| --- | ---: |\n");
        s.Append(inv, $"| ROC-AUC | {m.RocAuc:F4} |\n| PR-AUC (average precision) | {m.PrAuc:F4} |\n| recall at 1% FPR | {m.RecallAt1PctFpr:F4} |\n");
        s.Append(inv, $"| max abs(ONNX − ML.NET) probability | {summary.ExportMaxAbsDiff:E2} |\n\n");

        s.Append("## Thresholds (chosen on the holdout)\n\n| decision | threshold | target FPR | TP | FP | TN | FN | recall | precision | FPR |\n");
        s.Append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        Row(s, "review (score ≥)", manifest.Thresholds.Review, summary.ReviewFpr, summary.ReviewConfusion);
        Row(s, "decline (score ≥)", manifest.Thresholds.Decline, summary.DeclineFpr, summary.DeclineConfusion);
        s.Append("\nTimings: ").Append(string.Join(", ", summary.Timings.Select(t => string.Create(inv, $"{t.Key} {t.Value.TotalSeconds:F2} s")))).Append('\n');
        return s.ToString();
    }

    private static void Row(StringBuilder s, string name, float threshold, double targetFpr, Confusion c) =>
        s.Append(CultureInfo.InvariantCulture,
            $"| {name} | {threshold:G6} | {targetFpr:P2} | {c.TruePositives} | {c.FalsePositives} | {c.TrueNegatives} | {c.FalseNegatives} | {c.Recall:F4} | {c.Precision:F4} | {c.FalsePositiveRate:P3} |\n");
}
