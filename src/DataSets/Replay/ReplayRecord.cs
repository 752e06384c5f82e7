using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.DataSets.Replay;

/// <summary>One replayed transaction and, where the dataset knows the truth, its delayed label.</summary>
public readonly record struct ReplayRecord(Transaction Transaction, Label? Label);
