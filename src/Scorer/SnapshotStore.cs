using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// Card-state snapshots in a folder or an S3 bucket (through <see cref="IArtifactStore"/>, which verifies every put by
/// SHA-256): per partition two data slots, <c>a.snap</c> and <c>b.snap</c>, and a small pointer <c>latest.json</c>
/// naming the slot that holds the newest snapshot and its SHA-256. A new snapshot goes to the other slot first,
/// then the pointer is replaced, so a crash at any moment leaves the previous snapshot readable; storage stays at
/// two snapshots per partition without listing or deleting anything.
/// </summary>
internal sealed class SnapshotStore(IArtifactStore store, string prefix, string groupId) : IDisposable
{
    private const string PointerFile = "latest.json";
    private readonly ConcurrentDictionary<int, string> _slots = new(); // written by the background writer and the scoring thread

    /// <summary>The store <paramref name="options"/> name: a folder, or a bucket with the model store's S3 endpoint and keys.</summary>
    public static SnapshotStore Create(StateOptions options, ModelStoreOptions modelStore, string groupId)
    {
        if (!options.IsS3)
        {
            return new SnapshotStore(new FolderModelStore(options.Directory), options.Prefix, groupId);
        }
        var s3 = new ModelStoreOptions
        {
            Kind = ModelStoreOptions.S3Kind,
            ServiceUrl = modelStore.ServiceUrl,
            Bucket = options.Bucket is { Length: > 0 } bucket ? bucket : modelStore.Bucket,
            Region = modelStore.Region,
            AccessKey = modelStore.AccessKey,
            SecretKey = modelStore.SecretKey,
            ForcePathStyle = modelStore.ForcePathStyle,
        };
        return new SnapshotStore(ModelStoreFactory.Create(s3), options.Prefix, groupId);
    }

    /// <summary>The store's location of a partition's pointer, for logs.</summary>
    public string Describe(string topic, int partition) => store.UriOf(Name(topic), PartitionFolder(partition), PointerFile);

    /// <summary>The newest snapshot of the partition, or null when none was ever written.</summary>
    /// <exception cref="SnapshotRejectedException">there is one, but it is corrupt or for another spec or format.</exception>
    public async Task<CardStateSnapshot?> LoadAsync(FeatureSpec spec, string topic, int partition, CancellationToken cancellationToken, int idCapacity = 100_000)
    {
        byte[] pointerBytes;
        try
        {
            pointerBytes = await store.GetAsync(store.UriOf(Name(topic), PartitionFolder(partition), PointerFile), cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        var pointer = Pointer.Parse(pointerBytes);
        _slots[partition] = pointer.Slot;
        var data = await store.GetAsync(store.UriOf(Name(topic), PartitionFolder(partition), pointer.Slot + ".snap"), cancellationToken);
        var sha = ModelPackage.Sha256(data);
        if (sha != pointer.Sha256)
        {
            throw new SnapshotRejectedException(SnapshotRejectedException.Format,
                $"slot {pointer.Slot} has SHA-256 {sha}, the pointer expects {pointer.Sha256}");
        }
        return CardStateSnapshot.Deserialize(data, spec, topic, partition, idCapacity);
    }

    /// <summary>Writes the snapshot to the partition's free slot, then points at it. Returns the snapshot's size in bytes.</summary>
    public Task<int> WriteAsync(CardStateSnapshot snapshot, CancellationToken cancellationToken) =>
        WriteAsync(SerializedSnapshot.Of(snapshot), cancellationToken);

    /// <summary>Writes a serialized snapshot to the partition's free slot, then points at it. Returns its size in bytes.</summary>
    /// <remarks>Safe to call for different partitions at once; one partition's writes must not overlap.</remarks>
    public async Task<int> WriteAsync(SerializedSnapshot snapshot, CancellationToken cancellationToken)
    {
        var slot = _slots.TryGetValue(snapshot.Partition, out var current) && current == "a" ? "b" : "a";
        var name = Name(snapshot.Topic);
        var folder = PartitionFolder(snapshot.Partition);
        await store.PutAsync(name, folder, slot + ".snap", snapshot.Data, cancellationToken);
        var pointer = new Pointer(slot, ModelPackage.Sha256(snapshot.Data), snapshot.NextOffset, snapshot.Cards);
        await store.PutAsync(name, folder, PointerFile, pointer.Serialize(), cancellationToken);
        _slots[snapshot.Partition] = slot;
        return snapshot.Data.Length;
    }

    private string Name(string topic) => $"{prefix}/{groupId}/{topic}";

    private static string PartitionFolder(int partition) => partition.ToString(CultureInfo.InvariantCulture);

    public void Dispose() => (store as IDisposable)?.Dispose();

    private sealed record Pointer(string Slot, string Sha256, long NextOffset, int Cards)
    {
        public byte[] Serialize()
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteNumber("format"u8, CardStateSnapshot.FormatVersion);
                writer.WriteString("slot"u8, Slot);
                writer.WriteString("sha256"u8, Sha256);
                writer.WriteNumber("next_offset"u8, NextOffset);
                writer.WriteNumber("cards"u8, Cards);
                writer.WriteEndObject();
            }
            return buffer.WrittenSpan.ToArray();
        }

        public static Pointer Parse(byte[] bytes)
        {
            try
            {
                using var document = JsonDocument.Parse(bytes);
                var root = document.RootElement;
                var slot = root.GetProperty("slot").GetString();
                var sha = root.GetProperty("sha256").GetString();
                if (slot is not ("a" or "b") || string.IsNullOrEmpty(sha))
                {
                    throw new SnapshotRejectedException(SnapshotRejectedException.Format, $"pointer names slot '{slot}' with SHA-256 '{sha}'");
                }
                return new Pointer(slot, sha, root.GetProperty("next_offset").GetInt64(), root.GetProperty("cards").GetInt32());
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new SnapshotRejectedException(SnapshotRejectedException.Format, $"pointer is not readable: {ex.Message}", ex);
            }
        }
    }
}
