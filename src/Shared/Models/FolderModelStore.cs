namespace Fraud.Streaming.Shared.Models;

/// <summary>A model store in a local (or mounted) folder: <c>{root}/{model}/{version}/{file}</c>.</summary>
public sealed class FolderModelStore(string root) : IModelStore
{
    public string Root { get; } = Path.GetFullPath(root);

    public async Task<string> PutAsync(string modelName, string version, string fileName, byte[] content, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Root, modelName, version);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        var tmp = path + ".tmp";
        await File.WriteAllBytesAsync(tmp, content, cancellationToken);
        File.Move(tmp, path, overwrite: true);
        var stored = await File.ReadAllBytesAsync(path, cancellationToken);
        if (ModelPackage.Sha256(stored) != ModelPackage.Sha256(content))
        {
            throw new IOException($"{path}: stored copy differs from what was written");
        }
        return new Uri(path).AbsoluteUri;
    }

    public string UriOf(string modelName, string version, string fileName) =>
        new Uri(Path.Combine(Root, modelName, version, fileName)).AbsoluteUri;

    public Task<byte[]> GetAsync(string uri, CancellationToken cancellationToken) =>
        File.ReadAllBytesAsync(new Uri(uri).LocalPath, cancellationToken);
}
