namespace Fraud.Streaming.Trainer;

/// <summary>The GBDT device asked for (<c>--device cuda</c>) is not present; exit code <see cref="Shared.Cli.ExitCodes.DeviceUnavailable"/>.</summary>
internal sealed class DeviceUnavailableException(string message, Exception inner) : Exception(message, inner);
