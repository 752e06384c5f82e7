using Fraud.Streaming.Shared.Postgres;
using Fraud.Streaming.Testing;
using Npgsql;

namespace Fraud.Streaming.Shared.Tests.DevStack;

public sealed class SchemaMigratorTests
{
    [PostgresFact]
    public async Task Creates_the_history_tables_in_a_fresh_database_and_is_idempotent()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        Assert.Empty(await TablesAsync(database.ConnectionString));

        SchemaMigrator.Apply(database.ConnectionString);
        var afterFirst = await TablesAsync(database.ConnectionString);
        SchemaMigrator.Apply(database.ConnectionString);
        var afterSecond = await TablesAsync(database.ConnectionString);

        Assert.Equal(
            new HashSet<string>
            {
                "transactions", "verdicts", "labels", "model_versions", "schemaversions", "dead_letters", "shadow_verdicts", "drift_counts",
                "drift_daily", "quality_daily", "quality_scenario_daily", "retrain_requests",
            },
            afterFirst.ToHashSet());
        Assert.Equal(afterFirst, afterSecond);
        Assert.Equal(await ScriptCountAsync(database.ConnectionString), MigrationScriptCount());
    }

    [PostgresFact]
    public async Task Test_databases_are_isolated_and_dropped_on_dispose()
    {
        string name;
        var server = await PostgresServer.GetConnectionStringAsync();
        await using (var first = await PostgresTestDatabase.CreateAsync())
        await using (var second = await PostgresTestDatabase.CreateAsync())
        {
            Assert.NotEqual(first.Name, second.Name);
            SchemaMigrator.Apply(first.ConnectionString);
            Assert.NotEmpty(await TablesAsync(first.ConnectionString));
            Assert.Empty(await TablesAsync(second.ConnectionString));
            name = first.Name;
        }

        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = name } },
        };
        Assert.Equal(0L, (long)(await exists.ExecuteScalarAsync())!);
    }

    private static async Task<List<string>> TablesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var tables = new List<string>();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private static async Task<int> ScriptCountAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM schemaversions", connection);
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    private static int MigrationScriptCount() =>
        typeof(SchemaMigrator).Assembly.GetManifestResourceNames().Count(n => n.Contains(".Postgres.Migrations.", StringComparison.Ordinal));
}
