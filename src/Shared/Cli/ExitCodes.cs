namespace Fraud.Streaming.Shared.Cli;

/// <summary>
/// The exit codes of every command of every deployable (producer, scorer, trainer, Monitoring), so scripts and
/// Kubernetes tell failures apart the same way everywhere. The README's table is this one.
/// </summary>
public static class ExitCodes
{
    /// <summary>Everything asked was done.</summary>
    public const int Ok = 0;

    /// <summary>The work started and failed (an unexpected error, a check that failed during the run).</summary>
    public const int Failed = 1;

    /// <summary>An option, argument, setting or input/output path is invalid; nothing was done.</summary>
    public const int BadUsage = 2;

    /// <summary>The input was refused: a model package that must not serve, a data file that stops the run (<c>--on-error fail</c>).</summary>
    public const int BadInput = 3;

    /// <summary>PostgreSQL could not be reached, or refused the schema or the work.</summary>
    public const int PostgresUnavailable = 4;

    /// <summary>Kafka did not take everything: messages left undelivered, or an announcement not acknowledged.</summary>
    public const int KafkaFailed = 5;

    /// <summary>The model store could not store or give back an artifact intact.</summary>
    public const int StoreFailed = 6;

    /// <summary><c>--device cuda</c> and no CUDA device (or driver) present.</summary>
    public const int DeviceUnavailable = 7;
}
