namespace Fraud.Streaming.Monitoring.Tests;

/// <summary>A fact that runs only when the named environment variables point at real infrastructure.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresEnvFactAttribute : FactAttribute
{
    public RequiresEnvFactAttribute(params string[] vars)
    {
        Vars = vars;
        var missing = vars.Where(v => string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(v))).ToArray();
        if (missing.Length > 0)
        {
            Skip = $"needs {string.Join(" and ", missing)} (FRAUD_PG: a Postgres connection string; FRAUD_KAFKA_BOOTSTRAP: Kafka bootstrap servers)";
        }
    }

    public IReadOnlyList<string> Vars { get; }
}
