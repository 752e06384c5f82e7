using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// The last few trustworthy announcements read from the models topic, oldest first: what the watcher falls back on
/// when the newest cannot be loaded. Bounded, so a topic full of announcements costs a fixed amount of memory.
/// </summary>
internal sealed class AnnouncementCandidates(int capacity = 16)
{
    private readonly LinkedList<ModelManifest> _manifests = new();

    public int Count => _manifests.Count;

    public void Add(ModelManifest manifest)
    {
        _manifests.AddLast(manifest);
        if (_manifests.Count > capacity)
        {
            _manifests.RemoveFirst();
        }
    }

    public void Remove(ModelManifest manifest) => _manifests.Remove(manifest);

    /// <summary>Newest first; a snapshot, so the caller may <see cref="Remove"/> while walking it.</summary>
    public IReadOnlyList<ModelManifest> NewestFirst() => _manifests.Reverse().ToList();
}
