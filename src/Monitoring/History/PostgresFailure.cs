using System.Text;
using System.Text.Json;
using Npgsql;

namespace Fraud.Streaming.Monitoring.History;

/// <summary>
/// Tells a failed write's cause apart: a permanent data error (this row can never be stored: retrying it blocks
/// everything behind it) from anything else (the database or the network is down, busy or restarting: retrying works
/// once it is back).
/// </summary>
internal static class PostgresFailure
{
    /// <summary>
    /// SQLSTATE classes 22 (data exception: a value the column cannot hold), 23 (integrity constraint violation: a NULL,
    /// a check), 54 (program limit exceeded: an index row too large), and values the client cannot encode at all.
    /// </summary>
    public static bool IsPermanent(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState.Length >= 2 && pg.SqlState[..2] is "22" or "23" or "54",
        NpgsqlException => false,
        EncoderFallbackException or InvalidCastException or JsonException => true,
        ArgumentException => true,
        _ => false,
    };

    /// <summary>
    /// Worth waiting out: network, timeout or server-side trouble, and anything unforeseen (retried with backoff and
    /// shown on <c>/readyz</c>, rather than dropping the batch or stopping the service). Everything not permanent, bar
    /// cancellation.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception is not OperationCanceledException && !IsPermanent(exception);

    /// <summary>One line naming the cause, with the SQLSTATE when the server gave one.</summary>
    public static string Describe(Exception exception) => exception is PostgresException pg
        ? $"SQLSTATE {pg.SqlState}: {pg.MessageText}{(pg.Detail is { Length: > 0 } d ? $" ({d})" : "")}"
        : exception.Message;
}
