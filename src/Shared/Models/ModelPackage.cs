using System.Security.Cryptography;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Features.Vocabularies;

namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// The on-disk layout of a model: a folder with <c>model.onnx</c> and <c>manifest.json</c>.
/// </summary>
public static class ModelPackage
{
    public const string OnnxFileName = "model.onnx";
    public const string ManifestFileName = "manifest.json";

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Writes the files; the manifest last, so a reader that finds it finds a complete package.</summary>
    public static void Write(string directory, ModelManifest manifest, byte[] onnx)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, OnnxFileName), onnx);
        var manifestPath = Path.Combine(directory, ManifestFileName);
        var tmp = manifestPath + ".tmp";
        File.WriteAllBytes(tmp, ContractJson.Serialize(manifest));
        File.Move(tmp, manifestPath, overwrite: true);
    }

    /// <summary>Reads the package.</summary>
    /// <exception cref="ModelRejectedException">a file is missing or the manifest does not parse.</exception>
    public static (ModelManifest Manifest, byte[] Onnx) Read(string directory)
    {
        var manifestPath = Path.Combine(directory, ManifestFileName);
        var onnxPath = Path.Combine(directory, OnnxFileName);
        if (!File.Exists(manifestPath) || !File.Exists(onnxPath))
        {
            throw new ModelRejectedException(ModelRejectedException.FetchFailed,
                $"'{directory}' is not a model package: it needs {ManifestFileName} and {OnnxFileName}");
        }
        if (!ManifestValidator.TryParse(File.ReadAllBytes(manifestPath), EventTimeWindow.Now(ContractLimits.DefaultMaxFutureSkew), out var manifest, out var reason))
        {
            throw new ModelRejectedException(ModelRejectedException.BadManifest, $"{manifestPath}: {reason.CodeName}: {reason.Detail}");
        }
        return (manifest, File.ReadAllBytes(onnxPath));
    }

    /// <summary>
    /// The spec a model computes: <paramref name="computed"/> (the card and entity features as configured) with the
    /// vocabularies and attributes of the model's manifest, which must then be exactly the manifest's spec (name, hash
    /// and ordered names). The hash covers every vocabulary value, so a manifest whose encoding was altered is refused.
    /// </summary>
    /// <param name="computer">who computes <paramref name="computed"/>, for the message ("this scorer").</param>
    /// <exception cref="ModelRejectedException">the model was built for another spec, or its encoding cannot be applied.</exception>
    public static FeatureSpec SpecOf(ModelManifest manifest, FeatureSpec computed, string computer)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(computed);
        FeatureSpec spec;
        try
        {
            spec = computed.WithEncoding(FeatureEncoding.FromInfo(manifest.FeatureSpec.Encoding));
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException)
        {
            throw new ModelRejectedException(ModelRejectedException.BadManifest, $"model {manifest.Version}: {ex.Message}", ex);
        }
        CheckFeatureSpec(manifest, spec, computer);
        return spec;
    }

    /// <summary>The manifest's feature spec must be <paramref name="spec"/> (name, hash and ordered names).</summary>
    /// <param name="computer">who computes <paramref name="spec"/>, for the message ("this scorer").</param>
    /// <exception cref="ModelRejectedException">the model was built for another spec.</exception>
    public static void CheckFeatureSpec(ModelManifest manifest, FeatureSpec spec, string computer)
    {
        var info = manifest.FeatureSpec;
        if (info.Name != spec.Name || info.Hash != spec.Hash || !info.Features.SequenceEqual(spec.Names))
        {
            throw new ModelRejectedException(ModelRejectedException.FeatureSpecMismatch,
                $"model {manifest.Version} was built for feature spec {info.Name}/{info.Hash}; {computer} computes {spec.Name}/{spec.Hash}");
        }
    }
}
