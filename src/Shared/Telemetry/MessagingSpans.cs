using System.Diagnostics;
using System.Globalization;

namespace Fraud.Streaming.Shared.Telemetry;

/// <summary>
/// Span names and <c>messaging.*</c> attributes after OpenTelemetry's messaging semantic conventions, for every service:
/// <c>{topic} publish</c> (producer kind) when a message is created, <c>{topic} process</c> (consumer kind) when it is
/// handled.
/// </summary>
public static class MessagingSpans
{
    public const string System = "kafka";

    /// <summary>Most links one span carries (the SDK's default limit): a larger batch links its first messages only.</summary>
    public const int MaxLinks = 128;

    /// <summary>Starts a publish span for a message to <paramref name="topic"/>; null when nobody records it.</summary>
    public static Activity? StartPublish(ActivitySource source, string topic, ActivityContext parent = default, IEnumerable<ActivityLink>? links = null)
    {
        var activity = source.StartActivity($"{topic} publish", ActivityKind.Producer, parent, links: links);
        activity?.SetTag("messaging.system", System)
            .SetTag("messaging.operation.type", "publish")
            .SetTag("messaging.operation.name", "publish")
            .SetTag("messaging.destination.name", topic);
        return activity;
    }

    /// <summary>
    /// Starts a process span for messages of <paramref name="topic"/>: the child of one message's context, or (a batch)
    /// a new trace linked to each message's; null when nobody records it.
    /// </summary>
    public static Activity? StartProcess(ActivitySource source, string topic, string consumerGroup, ActivityContext parent = default,
        IEnumerable<ActivityLink>? links = null, DateTimeOffset startTime = default)
    {
        var activity = source.StartActivity(ActivityKind.Consumer, parent, links: links, startTime: startTime, name: $"{topic} process");
        activity?.SetTag("messaging.system", System)
            .SetTag("messaging.operation.type", "process")
            .SetTag("messaging.operation.name", "process")
            .SetTag("messaging.destination.name", topic)
            .SetTag("messaging.consumer.group.name", consumerGroup);
        return activity;
    }

    /// <summary>Where the message was read: partition and offset.</summary>
    public static Activity? SetPosition(this Activity? activity, int partition, long offset) =>
        activity?.SetTag("messaging.destination.partition.id", partition.ToString(CultureInfo.InvariantCulture))
            .SetTag("messaging.kafka.offset", offset);
}
