using Npgsql;

namespace Fraud.Streaming.Shared.Postgres;

/// <summary>Where a connection string points, for messages: host, port and database, never the credentials.</summary>
public static class PostgresAddress
{
    public static string Describe(string connectionString)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            return $"{b.Host}:{b.Port}/{b.Database}";
        }
        catch (ArgumentException)
        {
            return "(unparsable connection string)";
        }
    }
}
