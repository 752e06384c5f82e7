using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Trainer.History;

/// <summary>One transaction of the history and its label, when one has arrived.</summary>
internal readonly record struct HistoryRow(Transaction Transaction, bool? IsFraud);
