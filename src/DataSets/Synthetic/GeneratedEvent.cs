using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.DataSets.Synthetic;

/// <summary>
/// One synthetic transaction, its ground truth as a label, and whether the label feed carries that label (fraud
/// reports and reviews do; most genuine transactions are never labelled, <see cref="LabelMode.FraudReports"/>).
/// </summary>
public readonly record struct GeneratedEvent(Transaction Transaction, Label Label, bool Published = true);
