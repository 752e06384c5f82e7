using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// The card states and recent transaction ids of one partition of the transactions topic as they stood after every
/// event before <see cref="NextOffset"/> was folded in, and nothing later. Binary, little-endian:
/// magic <c>FCSS</c>, format version, spec name and hash, topic, partition, next offset, bytes per state, card
/// count, then (64-bit key, raw <see cref="CardState"/> bytes) per card, then the id count and (64-bit id hash,
/// offset) per id, oldest first (format 2; format 1 had no ids and is refused, so restore replays from the start).
/// </summary>
internal sealed record CardStateSnapshot(string SpecName, string SpecHash, string Topic, int Partition, long NextOffset, CardStateStore Cards,
    RecentTransactionIds? Ids = null)
{
    public const int FormatVersion = 2;
    private static ReadOnlySpan<byte> Magic => "FCSS"u8;

    public static int StateSize => Unsafe.SizeOf<CardState>();

    /// <summary>The snapshot of <paramref name="cards"/>, computed under <paramref name="spec"/>.</summary>
    public static CardStateSnapshot Of(FeatureSpec spec, string topic, int partition, long nextOffset, CardStateStore cards,
        RecentTransactionIds? ids = null) =>
        new(spec.Name, spec.Hash, topic, partition, nextOffset, cards, ids);

    public byte[] Serialize()
    {
        using var buffer = new MemoryStream(64 + (Cards.Count * (8 + StateSize)) + ((Ids?.Count ?? 0) * 16));
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(SpecName);
            writer.Write(SpecHash);
            writer.Write(Topic);
            writer.Write(Partition);
            writer.Write(NextOffset);
            writer.Write(StateSize);
            writer.Write(Cards.Count);
            foreach (var (key, state) in Cards)
            {
                writer.Write(key);
                writer.Write(MemoryMarshal.AsBytes(new ReadOnlySpan<CardState>(in state)));
            }
            writer.Write(Ids?.Count ?? 0);
            foreach (var (key, offset) in Ids?.OldestFirst() ?? [])
            {
                writer.Write(key);
                writer.Write(offset);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>Reads a snapshot, refusing one of another format, spec, topic or partition.</summary>
    /// <exception cref="SnapshotRejectedException">the bytes are not a usable snapshot for this partition.</exception>
    /// <param name="idCapacity">how many ids to keep (<see cref="ScorerOptions.DuplicateWindow"/>); the newest when the snapshot holds more.</param>
    public static CardStateSnapshot Deserialize(byte[] bytes, FeatureSpec spec, string topic, int partition, int idCapacity = 100_000)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(bytes);
        if (!BitConverter.IsLittleEndian)
        {
            throw new SnapshotRejectedException(SnapshotRejectedException.Format, "snapshots are little-endian and this machine is not");
        }
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            {
                throw new SnapshotRejectedException(SnapshotRejectedException.Format, "not a card-state snapshot (bad magic)");
            }
            var version = reader.ReadInt32();
            if (version != FormatVersion)
            {
                throw new SnapshotRejectedException(SnapshotRejectedException.Format, $"format version {version}, this scorer reads {FormatVersion}");
            }
            var specName = reader.ReadString();
            var specHash = reader.ReadString();
            if (specHash != spec.Hash)
            {
                throw new SnapshotRejectedException(SnapshotRejectedException.Spec,
                    $"written for feature spec {specName} ({specHash}), this scorer computes {spec.Name} ({spec.Hash})");
            }
            var snapshotTopic = reader.ReadString();
            var snapshotPartition = reader.ReadInt32();
            if (snapshotTopic != topic || snapshotPartition != partition)
            {
                throw new SnapshotRejectedException(SnapshotRejectedException.Format,
                    $"holds {snapshotTopic}[{snapshotPartition}], not {topic}[{partition}]");
            }
            var nextOffset = reader.ReadInt64();
            var stateSize = reader.ReadInt32();
            if (stateSize != StateSize)
            {
                throw new SnapshotRejectedException(SnapshotRejectedException.Format, $"{stateSize} bytes per card state, this scorer has {StateSize}");
            }
            var count = reader.ReadInt32();
            var remaining = bytes.Length - reader.BaseStream.Position;
            if (count < 0 || remaining < ((long)count * (8 + stateSize)) + 4)
            {
                throw new SnapshotRejectedException(SnapshotRejectedException.Format, $"{count} cards announced, {remaining} bytes follow");
            }
            var cards = new CardStateStore(spec.CardIdleTtlMs);
            CardState state = default;
            var stateBytes = MemoryMarshal.AsBytes(new Span<CardState>(ref state));
            for (var i = 0; i < count; i++)
            {
                var key = reader.ReadUInt64();
                reader.BaseStream.ReadExactly(stateBytes);
                cards.Set(key, in state);
            }
            var idCount = reader.ReadInt32();
            if (idCount < 0 || bytes.Length - reader.BaseStream.Position != (long)idCount * 16)
            {
                throw new SnapshotRejectedException(SnapshotRejectedException.Format, $"{idCount} transaction ids announced, {bytes.Length - reader.BaseStream.Position} bytes follow");
            }
            var ids = new RecentTransactionIds(idCapacity);
            for (var i = 0; i < idCount; i++)
            {
                var key = reader.ReadUInt64();
                var offset = reader.ReadInt64();
                if (idCount - i <= idCapacity)
                {
                    ids.Add(key, offset);
                }
            }
            return new CardStateSnapshot(specName, specHash, snapshotTopic, snapshotPartition, nextOffset, cards, ids);
        }
        catch (EndOfStreamException ex)
        {
            throw new SnapshotRejectedException(SnapshotRejectedException.Format, "truncated", ex);
        }
    }
}
