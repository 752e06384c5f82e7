using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Fraud.Streaming.Aggregator;

/// <summary>
/// What the entity totals topic holds, by key (a digest of each newest value): read from the topic at start and kept
/// current as records are published, so a replay after a restart or rebalance writes only what changed. Without it a
/// restart would publish every day again, and a topic that is not compacted (the dev Kafka) would grow with each.
/// </summary>
internal sealed class PublishedTotals
{
    private readonly ConcurrentDictionary<string, ulong> _digests = new(StringComparer.Ordinal);

    public int Count => _digests.Count;

    /// <summary>A record read from the topic (the follower's thread).</summary>
    public void Seen(byte[]? key, byte[]? value)
    {
        if (key is null)
        {
            return;
        }
        var name = Encoding.ASCII.GetString(key);
        if (value is null)
        {
            _digests.TryRemove(name, out _);
        }
        else
        {
            _digests[name] = Digest(value);
        }
    }

    /// <summary>Whether the topic already holds exactly this value under this key.</summary>
    public bool Holds(string key, byte[] value) => _digests.TryGetValue(key, out var digest) && digest == Digest(value);

    public bool Contains(string key) => _digests.ContainsKey(key);

    /// <summary>Records that the value was published (or, for null, deleted).</summary>
    public void Published(string key, byte[]? value)
    {
        if (value is null)
        {
            _digests.TryRemove(key, out _);
        }
        else
        {
            _digests[key] = Digest(value);
        }
    }

    private static ulong Digest(byte[] value) => BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(value));
}
