namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// The champion's ROC-AUC measured on the challenger's own holdout, so a promotion compares two models on the
/// same rows. <see cref="ChampionVersion"/> names the champion that was measured; if another version became
/// champion meanwhile, the registry falls back to the stored figure.
/// </summary>
public sealed record ChampionComparison(string ChampionVersion, double ChampionRocAucOnHoldout);
