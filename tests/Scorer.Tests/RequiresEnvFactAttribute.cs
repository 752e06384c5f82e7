namespace Fraud.Streaming.Scorer.Tests;

/// <summary>A fact that runs only when every named environment variable is set; skipped with the reason otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresEnvFactAttribute : FactAttribute
{
    public RequiresEnvFactAttribute(params string[] variables)
    {
        var missing = variables.Where(v => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v))).ToArray();
        if (missing.Length > 0)
        {
            Skip = $"needs {string.Join(", ", missing)} (e.g. FRAUD_KAFKA_BOOTSTRAP=127.0.0.1:9092 with DevKafka running)";
        }
    }
}
