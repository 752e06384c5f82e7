using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Fraud.Streaming.Shared.Kafka;

/// <summary>
/// The topics a consumer subscribes to must exist: every consumer runs with <c>allow.auto.create.topics</c> off, so
/// a mistyped name is an error that names the topic, not a new empty topic the service then waits on forever. Before
/// subscribing, a service waits here, checking once a second with a metadata request that creates nothing, and says
/// which topics are missing (the log, first and then once a minute; its readiness meanwhile) until they exist.
/// </summary>
public static partial class RequiredTopics
{
    private static readonly TimeSpan Check = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Remind = TimeSpan.FromMinutes(1);

    /// <summary>Which of <paramref name="topics"/> the cluster does not have, through <paramref name="client"/>'s connection.</summary>
    /// <exception cref="KafkaException">the cluster did not answer within <paramref name="timeout"/>.</exception>
    public static IReadOnlyList<string> Missing(IClient client, IReadOnlyCollection<string> topics, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var admin = new DependentAdminClientBuilder(client.Handle).Build();
        var present = admin.GetMetadata(timeout).Topics
            .Where(t => !t.Error.IsError && t.Partitions.Count > 0)
            .Select(t => t.Topic)
            .ToHashSet(StringComparer.Ordinal);
        return [.. topics.Where(t => !present.Contains(t))];
    }

    /// <summary>
    /// Returns true once every topic exists, false when stopped first. <paramref name="missing"/> hears the missing topics
    /// whenever they change (an empty list once none is), so a readiness check can name them.
    /// </summary>
    public static bool WaitFor(IClient client, IReadOnlyCollection<string> topics, ILogger logger, Action<IReadOnlyList<string>> missing, CancellationToken stopping)
    {
        IReadOnlyList<string> last = [];
        var reminded = 0L;
        while (!stopping.IsCancellationRequested)
        {
            IReadOnlyList<string> now;
            try
            {
                now = Missing(client, topics, TimeSpan.FromSeconds(5));
            }
            catch (KafkaException ex)
            {
                Unreachable(logger, ex.Error.Reason);
                stopping.WaitHandle.WaitOne(Check);
                continue;
            }
            if (!now.SequenceEqual(last, StringComparer.Ordinal))
            {
                missing(now);
                last = now;
                reminded = 0;
            }
            if (now.Count == 0)
            {
                return true;
            }
            if (reminded == 0 || Stopwatch.GetElapsedTime(reminded) >= Remind)
            {
                TopicsMissing(logger, string.Join(", ", now));
                reminded = Stopwatch.GetTimestamp();
            }
            stopping.WaitHandle.WaitOne(Check);
        }
        return false;
    }

    /// <summary>The readiness message for missing topics.</summary>
    public static string Describe(IReadOnlyList<string> missing) =>
        $"topic{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)} {(missing.Count == 1 ? "does" : "do")} not exist: create {(missing.Count == 1 ? "it" : "them")}, or fix the Kafka:*Topic setting";

    [LoggerMessage(EventId = 9101, Level = LogLevel.Error,
        Message = "topic(s) {Topics} do not exist; waiting for them (topics are never created by consuming: create them, or fix the Kafka:*Topic setting)")]
    private static partial void TopicsMissing(ILogger logger, string topics);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "cannot list the cluster's topics yet: {Reason}")]
    private static partial void Unreachable(ILogger logger, string reason);
}
