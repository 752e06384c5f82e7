using System.Security.Cryptography;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// The on-disk layout of a model: a folder with <c>model.onnx</c>, <c>manifest.json</c> and, for a spec with
/// merchant features, the frozen merchant table <c>merchants.bin</c>.
/// </summary>
public static class ModelPackage
{
    public const string OnnxFileName = "model.onnx";
    public const string ManifestFileName = "manifest.json";
    public const string MerchantTableFileName = "merchants.bin";

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Writes the files; the manifest last, so a reader that finds it finds a complete package.</summary>
    public static void Write(string directory, ModelManifest manifest, byte[] onnx, byte[]? merchantTable = null)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, OnnxFileName), onnx);
        if (merchantTable is not null)
        {
            File.WriteAllBytes(Path.Combine(directory, MerchantTableFileName), merchantTable);
        }
        var manifestPath = Path.Combine(directory, ManifestFileName);
        var tmp = manifestPath + ".tmp";
        File.WriteAllBytes(tmp, ContractJson.Serialize(manifest));
        File.Move(tmp, manifestPath, overwrite: true);
    }

    /// <summary>Reads the package; the merchant table is null when the folder has none.</summary>
    /// <exception cref="ModelRejectedException">a file is missing or the manifest does not parse.</exception>
    public static (ModelManifest Manifest, byte[] Onnx, byte[]? MerchantTable) Read(string directory)
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
        var tablePath = Path.Combine(directory, MerchantTableFileName);
        return (manifest, File.ReadAllBytes(onnxPath), File.Exists(tablePath) ? File.ReadAllBytes(tablePath) : null);
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

    /// <summary>The table must be there, be the one the manifest names (SHA-256) and parse.</summary>
    /// <exception cref="ModelRejectedException">the table is missing, is not the manifest's, or does not parse.</exception>
    public static MerchantTable CheckMerchantTable(ModelManifest manifest, byte[]? bytes)
    {
        if (manifest.MerchantTable is not { } info)
        {
            throw new ModelRejectedException(ModelRejectedException.BadManifest,
                $"model {manifest.Version}: feature spec {manifest.FeatureSpec.Name} needs a merchant table, and the manifest names none");
        }
        if (bytes is null)
        {
            throw new ModelRejectedException(ModelRejectedException.BadMerchantTable,
                $"model {manifest.Version}: the merchant table {info.Uri} is missing");
        }
        if (!string.Equals(Sha256(bytes), info.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelRejectedException(ModelRejectedException.BadMerchantTable,
                $"model {manifest.Version}: the merchant table's SHA-256 does not match the manifest's");
        }
        try
        {
            return MerchantTable.Deserialize(bytes);
        }
        catch (InvalidDataException ex)
        {
            throw new ModelRejectedException(ModelRejectedException.BadMerchantTable, $"model {manifest.Version}: {ex.Message}", ex);
        }
    }
}
