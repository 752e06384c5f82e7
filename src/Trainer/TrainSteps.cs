using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Quality;
using Fraud.Streaming.Trainer.Evaluation;
using Fraud.Streaming.Trainer.Training;

namespace Fraud.Streaming.Trainer;

/// <summary>The history with its vocabularies fitted on the training slice, and the spec that now names them.</summary>
internal sealed record EncodedHistory(FeatureSpec Spec, FeatureTable All);

/// <summary>What makes a run the run it is: its parameters, its algorithm and the content hash over both and the rows.</summary>
internal sealed record RunIdentity(SortedDictionary<string, string> Parameters, string Algorithm, string ContentHash);

/// <summary>A trained model and a line saying what was trained.</summary>
internal sealed record TrainedModel(ITrainedModel Model, string What);

/// <summary>The exported ONNX model, its version and the holdout scores ONNX Runtime gave it.</summary>
internal sealed record ExportedModel(byte[] Onnx, string Version, DateTimeOffset Created, float[] HoldoutScores, double MaxDiff);

/// <summary>The holdout's figures, calibration and the plots written for them.</summary>
internal sealed record HoldoutEvaluation(BinaryEvaluator Evaluator, ModelMetrics Metrics, CalibrationReport Calibration, IReadOnlyList<string> Plots);

/// <summary>How publishing ended: the exit code, and the manifest as registered when the run is to be summarised.</summary>
internal sealed record PublishOutcome(int ExitCode, ModelManifest? Manifest = null, bool Champion = false);
