using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Producer.Synthetic;

/// <summary>One synthetic transaction and the ground-truth label that will follow it.</summary>
internal readonly record struct GeneratedEvent(Transaction Transaction, Label Label);
