namespace Fraud.Streaming.Shared.Models;

/// <summary>A model store in a local (or mounted) folder: <c>{root}/{owner}/{folder}/{file}</c> (a model: its name and version).</summary>
public sealed class FolderModelStore(string root) : IArtifactStore
{
    public string Root { get; } = Path.GetFullPath(root);

    public async Task<string> PutAsync(string owner, string folder, string fileName, byte[] content, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Root, owner, folder);
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

    public string UriOf(string owner, string folder, string fileName) =>
        new Uri(Path.Combine(Root, owner, folder, fileName)).AbsoluteUri;

    public Task<byte[]> GetAsync(string uri, CancellationToken cancellationToken) =>
        File.ReadAllBytesAsync(new Uri(uri).LocalPath, cancellationToken);
}
