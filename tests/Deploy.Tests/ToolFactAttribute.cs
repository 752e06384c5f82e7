using Fraud.Streaming.Testing.Operations;

namespace Fraud.Streaming.Deploy.Tests;

/// <summary>A fact that runs a command-line tool; skipped, with how to install it, where the tool is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string tool) => Skip ??= tool switch
    {
        "promtool" => Tools.Promtool,
        "amtool" => Tools.Amtool,
        "docker-compose" => Tools.DockerCompose,
        "kubectl" => Tools.Kubectl,
        "tsc" => Tools.GrafanaSchema,
        _ => throw new ArgumentException($"unknown tool {tool}", nameof(tool)),
    };
}

/// <summary>A theory that runs a command-line tool; see <see cref="ToolFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(string tool) => Skip ??= new ToolFactAttribute(tool).Skip;
}
