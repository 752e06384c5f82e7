namespace Fraud.Streaming.Trainer;

/// <summary>Process exit codes; scripts and the CronJob tell failures apart by them.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int PostgresUnavailable = 2;
    public const int StoreFailed = 3;
    public const int AnnounceFailed = 4;
    /// <summary><c>--device cuda</c> and no CUDA device (or driver) present.</summary>
    public const int DeviceUnavailable = 5;
}
