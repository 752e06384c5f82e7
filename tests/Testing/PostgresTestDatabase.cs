using Npgsql;

namespace Fraud.Streaming.Testing;

/// <summary>
/// A fresh, uniquely named database on the test server, dropped (forcibly) when the test ends, so tests never
/// see each other's rows. Use as an xunit class fixture, or create one per test with <c>await using</c>.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncLifetime, IAsyncDisposable, IDisposable
{
    private string? _serverConnectionString;
    private bool _dropped;

    /// <summary>The database's name, <c>fraud_test_</c> plus 32 hex digits.</summary>
    public string Name { get; } = $"fraud_test_{Guid.NewGuid():N}";

    /// <summary>Connection string for this database; valid after <see cref="InitializeAsync"/>.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>Creates and initializes a database in one call.</summary>
    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var database = new PostgresTestDatabase();
        await database.InitializeAsync();
        return database;
    }

    public async Task InitializeAsync()
    {
        _serverConnectionString = await PostgresServer.GetConnectionStringAsync();
        await using (var connection = new NpgsqlConnection(_serverConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = Name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_dropped || _serverConnectionString is null)
        {
            return;
        }

        _dropped = true;
        await using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    public void Dispose() => DisposeAsync().GetAwaiter().GetResult();
}
