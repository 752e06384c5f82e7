using System.Reflection;
using DbUp;

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
