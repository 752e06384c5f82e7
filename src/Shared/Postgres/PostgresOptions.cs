using System.ComponentModel.DataAnnotations;

namespace Fraud.Streaming.Shared.Postgres;

/// <summary>The <c>Postgres</c> configuration section (env: <c>Postgres__ConnectionString</c>).</summary>
public sealed class PostgresOptions
{
    public const string Section = "Postgres";

    /// <summary>The dev stack's throwaway cluster listens here by default.</summary>
    [Required, MinLength(5)]
    public string ConnectionString { get; set; } = "Host=127.0.0.1;Port=55432;Username=postgres;Database=fraud;Timeout=5";
}
