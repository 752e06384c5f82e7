using Npgsql;

namespace Fraud.Streaming.Shared.Quality;

/// <summary>
/// "Now" for live quality: the newest event time in the history, whatever the wall clock says (replays, compressed time),
/// against which outcomes mature (<see cref="LabelOutcome"/>).
/// </summary>
public static class HistoryClock
{
    /// <returns>the newest transaction's event time; null for an empty history.</returns>
    public static async Task<DateTimeOffset?> AsOfAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand("SELECT max(event_time) FROM transactions");
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime newest ? new DateTimeOffset(newest, TimeSpan.Zero) : null;
    }
}
