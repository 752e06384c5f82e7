using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Producer.Replay;

/// <summary>One replayed transaction and, where the dataset knows the truth, its delayed label.</summary>
internal readonly record struct ReplayRecord(Transaction Transaction, Label? Label);
