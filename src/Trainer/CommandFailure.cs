using Confluent.Kafka;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Models;
using Npgsql;

namespace Fraud.Streaming.Trainer;

/// <summary>
/// The one map from what went wrong in a trainer command to its exit code (the table users see is
/// <see cref="ExitCodes"/>) and its one-line message: settings refused before any work are bad usage; a failure during
/// the work is classified by its exception. Anything not listed here is a bug and is left to surface.
/// </summary>
internal static class CommandFailure
{
    /// <summary>Runs <paramref name="validate"/>: null when the settings hold, else <see cref="ExitCodes.BadUsage"/> (the reason is written).</summary>
    public static int? Refused(Action validate, TextWriter error)
    {
        try
        {
            validate();
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            error.WriteLine($"error: {PostgresAccess.OneLine(ex)}");
            return ExitCodes.BadUsage;
        }
    }

    /// <summary>Runs the command's work; a failure it can classify is written as one line and becomes its exit code.</summary>
    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception ex) when (ExitCodeOf(ex) is { } code)
        {
            await error.WriteLineAsync($"error: {Describe(ex)}");
            return code;
        }
    }

    /// <summary>The synchronous twin of <see cref="RunAsync"/>, for work that blocks its own thread.</summary>
    public static int Run(TextWriter error, Func<int> work)
    {
        try
        {
            return work();
        }
        catch (Exception ex) when (ExitCodeOf(ex) is { } code)
        {
            error.WriteLine($"error: {Describe(ex)}");
            return code;
        }
    }

    /// <summary>The exit code of a failure during a command's work; null for anything else (cancellation included).</summary>
    public static int? ExitCodeOf(Exception ex) => ex switch
    {
        UnknownVersionException => ExitCodes.BadUsage,
        DeviceUnavailableException => ExitCodes.DeviceUnavailable,
        PostgresUnavailableException or NpgsqlException => ExitCodes.PostgresUnavailable,
        KafkaException => ExitCodes.KafkaFailed,
        InvalidDataException or ModelRejectedException => ExitCodes.BadInput,
        ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException
            or DataSets.Replay.ReplayFailedException => ExitCodes.Failed,
        _ => null,
    };

    private static string Describe(Exception ex) => ex switch
    {
        ModelRejectedException rejected => $"model rejected ({rejected.Code}): {rejected.Message}",
        KafkaException kafka => $"kafka: {kafka.Error.Reason}",
        NpgsqlException postgres => $"postgres: {PostgresAccess.OneLine(postgres)}",
        _ => PostgresAccess.OneLine(ex),
    };
}

/// <summary>A <c>models</c> command named a version the registry does not hold: bad usage.</summary>
internal sealed class UnknownVersionException(string modelName, string version)
    : Exception($"model {modelName} has no version {version}");
