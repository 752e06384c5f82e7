using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Monitoring.Quality;

/// <summary>One verdict with what became of its transaction: <see cref="Fraud"/> true, false, or null while not known.</summary>
internal readonly record struct QualityRow(float Score, Decision Decision, double Amount, bool? Fraud, string? Scenario);
