using System.Reflection;
using DbUp;
using Npgsql;

namespace Fraud.Streaming.Shared.Postgres;

/// <summary>
/// Applies the numbered SQL migrations embedded in this assembly (<c>Postgres/Migrations/NNNN_*.sql</c>), once each,
/// recorded in DbUp's <c>schemaversions</c> table. Every deployable that touches Postgres calls this at start.
/// </summary>
public static class SchemaMigrator
{
    /// <exception cref="InvalidOperationException">a migration failed; the message says which and why.</exception>
    public static void Apply(string connectionString)
    {
        // Services and the trainer may start together: serialise migrations across processes, since two
        // concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog.
        using var gate = new NpgsqlConnection(connectionString);
        gate.Open();
        using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", gate))
        {
            lockCommand.ExecuteNonQuery();
        }
        try
        {
            Upgrade(connectionString);
        }
        finally
        {
            using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", gate);
            unlock.ExecuteNonQuery();
        }
    }

    /// <summary>An arbitrary constant naming "schema migration" among advisory locks.</summary>
    private const long LockKey = 0x46524155445F5631; // "FRAUD_V1"

    private static void Upgrade(string connectionString)
    {
        var upgrader = DeployChanges.To
            .PostgresqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.Contains(".Postgres.Migrations.", StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build();
        var result = upgrader.PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"database migration {result.ErrorScript?.Name ?? "?"} failed: {result.Error?.Message}", result.Error);
        }
    }
}
