namespace Fraud.Streaming.Shared.Models;

/// <summary>The outcome of <see cref="ModelRegistry.RegisterAsync"/>.</summary>
/// <param name="Registered">false when the same model, data and feature spec were registered before.</param>
/// <param name="Version">the new version, or the one registered before.</param>
/// <param name="IsChampion">whether that version is now the champion.</param>
/// <param name="PreviousChampion">the champion it displaced, if any.</param>
public sealed record RegistrationResult(bool Registered, string Version, bool IsChampion, string? PreviousChampion)
{
    /// <summary>Whether the new version, not promoted, became the challenger (scored in shadow beside the champion).</summary>
    public bool IsChallenger { get; init; }

    /// <summary>A challenger this registration displaced (it became the challenger, or a new champion ended the comparison).</summary>
    public string? PreviousChallenger { get; init; }
}
