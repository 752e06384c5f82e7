using Fraud.Streaming.Shared.Postgres;
using Npgsql;

namespace Fraud.Streaming.Trainer;

/// <summary>Opening Postgres for the trainer: reachable and migrated, or a one-line reason.</summary>
internal static class PostgresAccess
{
    /// <summary>Connects once and applies the migrations.</summary>
    /// <exception cref="PostgresUnavailableException">unreachable, refused, or the schema cannot be applied.</exception>
    public static async Task<NpgsqlDataSource> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        NpgsqlDataSource dataSource;
        try
        {
            dataSource = NpgsqlDataSource.Create(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new PostgresUnavailableException($"postgres connection string is invalid: {ex.Message}", ex);
        }
        try
        {
            await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
            {
                await connection.CloseAsync();
            }
            SchemaMigrator.Apply(connectionString);
            return dataSource;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            await dataSource.DisposeAsync();
            throw new PostgresUnavailableException($"postgres unavailable at {PostgresAddress.Describe(connectionString)}: {OneLine(ex)}", ex);
        }
    }

    public static string OneLine(Exception ex)
    {
        var message = ex.InnerException is { } inner && ex.Message.Length < 40 ? $"{ex.Message} ({inner.Message})" : ex.Message;
        return message.ReplaceLineEndings(" ");
    }
}
