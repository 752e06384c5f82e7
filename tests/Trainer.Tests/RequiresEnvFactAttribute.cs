namespace Fraud.Streaming.Trainer.Tests;

/// <summary>A fact that runs only when every named environment variable is set, and says which is missing otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresEnvFactAttribute : FactAttribute
{
    public RequiresEnvFactAttribute(params string[] variables)
    {
        Variables = variables;
        var missing = variables.Where(v => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v))).ToArray();
        if (missing.Length > 0)
        {
            Skip = $"needs environment variable(s) {string.Join(", ", missing)} pointing at a real server";
        }
    }

    public IReadOnlyList<string> Variables { get; }
}
