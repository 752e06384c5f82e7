using System.CommandLine;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Trust;

namespace Fraud.Streaming.Trainer;

/// <summary>
/// <c>keys generate</c>: a new Ed25519 key pair for signing model announcements, as PEM files (the formats OpenSSL
/// writes): the private key for the trainer (<c>Signing:PrivateKeyFile</c>, a Kubernetes Secret), the public key for
/// every scorer (<c>Trust:PublicKeyFiles:0</c>).
/// </summary>
internal static class KeysCommand
{
    public const string PrivateFile = "announce.key";
    public const string PublicFile = "announce.pub";

    public static Command Build(TextWriter output, TextWriter error)
    {
        var outDir = new Option<DirectoryInfo>("--out-dir") { Description = $"folder for {PrivateFile} (private, mode 600) and {PublicFile}", Required = true };
        var generate = new Command("generate", "write a new Ed25519 key pair for signing model announcements") { outDir };
        generate.SetAction(async (parse, cancellationToken) =>
        {
            var directory = parse.GetValue(outDir)!.FullName;
            var privatePath = Path.Combine(directory, PrivateFile);
            var publicPath = Path.Combine(directory, PublicFile);
            if (File.Exists(directory))
            {
                await error.WriteLineAsync($"error: --out-dir '{directory}' is a file");
                return ExitCodes.BadUsage;
            }
            if (File.Exists(privatePath) || File.Exists(publicPath))
            {
                await error.WriteLineAsync($"error: {directory} already holds {PrivateFile} or {PublicFile}; a key pair is never overwritten");
                return ExitCodes.BadUsage;
            }
            Directory.CreateDirectory(directory);
            var (privateKey, publicKey) = Ed25519Keys.Generate();
            await WritePrivateAsync(privatePath, Ed25519Keys.PrivatePem(privateKey));
            await File.WriteAllTextAsync(publicPath, Ed25519Keys.PublicPem(publicKey), cancellationToken);
            await output.WriteLineAsync($"key {Ed25519Keys.KeyId(publicKey)}: private {privatePath}, public {publicPath}");
            await output.WriteLineAsync($"trainer: Signing__PrivateKeyFile={privatePath}");
            await output.WriteLineAsync($"scorers: Trust__PublicKeyFiles__0={publicPath}");
            return ExitCodes.Ok;
        });
        return new Command("keys", "keys for signing model announcements") { generate };
    }

    /// <summary>Created readable by its owner only, before a byte of the key is written.</summary>
    private static async Task WritePrivateAsync(string path, string pem)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(pem);
    }
}
