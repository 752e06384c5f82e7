using System.ComponentModel.DataAnnotations;

namespace Fraud.Streaming.Monitoring;

/// <summary>The <c>Monitoring</c> configuration section (env: <c>Monitoring__BatchSize</c>, ...).</summary>
internal sealed class MonitoringOptions
{
    public const string Section = "Monitoring";

    [Required, MinLength(1)]
    public string GroupId { get; set; } = "fraud-monitoring";

    /// <summary>Messages per Postgres transaction; a batch is also written when <see cref="FlushInterval"/> passes.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 2_000;

    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A batch still writing after this long makes <c>/readyz</c> say not ready (the batch is stuck).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan WriteStuckAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>consumer</c> (KIP-848: fast assignment, needs Kafka 4.0 or the dev mock) or <c>classic</c> (cooperative-sticky).</summary>
    [Required, RegularExpression("^(consumer|classic)$")]
    public string GroupProtocol { get; set; } = "consumer";
}
