using Testcontainers.PostgreSql;

namespace Fraud.Streaming.Testing;

/// <summary>
/// The PostgreSQL server tests use: <c>FRAUD_PG</c> (or the dev stack's env file) when set, otherwise one
/// container per test run, started on first use when a Docker engine exists.
/// </summary>
public static class PostgresServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgreSqlContainer? _container;

    /// <exception cref="InvalidOperationException">no server is configured and no Docker engine answers.</exception>
    public static async Task<string> GetConnectionStringAsync(CancellationToken cancellationToken = default)
    {
        if (TestEnvironment.PostgresConnectionString is { } configured)
        {
            return configured;
        }

        if (!TestEnvironment.DockerAvailable)
        {
            throw new InvalidOperationException(SkipReasons.Postgres ?? "no PostgreSQL server");
        }

        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (_container is null)
            {
                var container = new PostgreSqlBuilder("postgres:15-alpine").WithDatabase("fraud").Build();
                await container.StartAsync(cancellationToken);
                _container = container;
            }

            return _container.GetConnectionString();
        }
        finally
        {
            Gate.Release();
        }
    }
}
