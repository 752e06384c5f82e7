namespace Fraud.Streaming.Shared.Models;

/// <summary>The outcome of <see cref="ModelRegistry.RegisterAsync"/>.</summary>
/// <param name="Registered">false when the same model, data and feature spec were registered before.</param>
/// <param name="Version">the new version, or the one registered before.</param>
/// <param name="IsChampion">whether that version is now the champion.</param>
/// <param name="PreviousChampion">the champion it displaced, if any.</param>
public sealed record RegistrationResult(bool Registered, string Version, bool IsChampion, string? PreviousChampion);
