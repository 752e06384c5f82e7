using System.Security.Cryptography;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Shared.Models;

/// <summary>The on-disk layout of a model: a folder with <c>model.onnx</c> and <c>manifest.json</c>.</summary>
public static class ModelPackage
{
    public const string OnnxFileName = "model.onnx";
    public const string ManifestFileName = "manifest.json";

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Writes both files; the manifest last, so a reader that finds it finds a complete package.</summary>
    public static void Write(string directory, ModelManifest manifest, byte[] onnx)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, OnnxFileName), onnx);
        var manifestPath = Path.Combine(directory, ManifestFileName);
        var tmp = manifestPath + ".tmp";
        File.WriteAllBytes(tmp, ContractJson.Serialize(manifest));
        File.Move(tmp, manifestPath, overwrite: true);
    }

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
        ModelManifest manifest;
        try
        {
            manifest = ContractJson.DeserializeManifest(File.ReadAllBytes(manifestPath));
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new ModelRejectedException(ModelRejectedException.BadManifest, $"{manifestPath}: {ex.Message}", ex);
        }
        return (manifest, File.ReadAllBytes(onnxPath));
    }
}
