using System.Text.Json.Nodes;

namespace Fraud.Streaming.Testing.Operations;

/// <summary>The Kubernetes overlays rendered by <c>kubectl kustomize</c> (offline), as objects to assert on.</summary>
public static class Kustomize
{
    public static readonly string[] Overlays = ["dev", "prod", "cpu"];

    /// <exception cref="InvalidOperationException">kustomize failed; the message holds its output.</exception>
    public static async Task<IReadOnlyList<JsonObject>> RenderAsync(string overlay)
    {
        var folder = RepoPaths.Combine("k8s", "overlays", overlay);
        var output = Path.Combine(Path.GetTempPath(), $"kustomize-{overlay}-{Guid.NewGuid():N}.yaml");
        try
        {
            var (code, printed) = await Tools.RunAsync("kubectl", ["kustomize", folder, "--output", output]);
            if (code != 0)
            {
                throw new InvalidOperationException($"kubectl kustomize {folder} exited {code}:\n{printed}");
            }
            return [.. Yaml.LoadAll(await File.ReadAllTextAsync(output)).Cast<JsonObject>()];
        }
        finally
        {
            File.Delete(output);
        }
    }

    public static JsonObject Single(this IEnumerable<JsonObject> objects, string kind, string name) =>
        objects.Single(o => (string?)o["kind"] == kind && (string?)o["metadata"]?["name"] == name);

    public static IEnumerable<JsonObject> OfKind(this IEnumerable<JsonObject> objects, string kind) =>
        objects.Where(o => (string?)o["kind"] == kind);

    /// <summary>The pod template's spec of a Deployment or of a CronJob's job.</summary>
    public static JsonObject PodSpec(this JsonObject workload) => (string?)workload["kind"] == "CronJob"
        ? workload["spec"]!["jobTemplate"]!["spec"]!["template"]!["spec"]!.AsObject()
        : workload["spec"]!["template"]!["spec"]!.AsObject();

    public static IEnumerable<JsonObject> Containers(this JsonObject workload) =>
        workload.PodSpec()["containers"]!.AsArray().Select(c => c!.AsObject());
}
