using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Trainer.Training;

/// <summary>A trained model as the rest of a run sees it: what gets exported, and the trainer's own predictions it must reproduce.</summary>
internal interface ITrainedModel
{
    /// <summary>The model as trees for the ONNX writer.</summary>
    TreeEnsemble Ensemble { get; }

    /// <summary>The manifest's <c>algorithm</c>.</summary>
    string Algorithm { get; }

    /// <summary>The device the trees were grown on, as the manifest records it.</summary>
    string Device { get; }

    /// <summary>Why that device (for <c>--device auto</c>: whether a CUDA driver and device answered), for the log.</summary>
    string DeviceReason { get; }

    /// <summary>How closely ONNX Runtime must reproduce <see cref="PredictReference"/>, or the run fails.</summary>
    double ExportTolerance { get; }

    /// <summary>The trainer's own probabilities for the rows.</summary>
    float[] PredictReference(FeatureTable rows);
}
