namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// Builds the configured <see cref="IArtifactStore"/> for putting artifacts. Fetching by URI, confined to the store, is
/// <see cref="ArtifactFetcher"/>'s.
/// </summary>
public static class ModelStoreFactory
{
    /// <summary>The store that <see cref="ModelStoreOptions.Kind"/> names.</summary>
    /// <exception cref="InvalidOperationException">the options are incomplete.</exception>
    public static IArtifactStore Create(ModelStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return string.Equals(options.Kind, ModelStoreOptions.S3Kind, StringComparison.OrdinalIgnoreCase)
            ? new S3ModelStore(options)
            : new FolderModelStore(options.Folder);
    }
}
