namespace Fraud.Streaming.Trainer.Training;

/// <summary><c>--algo</c>: our histogram GBDT (default) or the ML.NET LightGBM baseline.</summary>
internal enum TrainAlgorithm
{
    Gbdt,
    LightGbm,
}
