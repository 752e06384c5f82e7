namespace Fraud.Streaming.Scorer;

/// <summary>A snapshot's bytes (<see cref="CardStateSnapshot.Serialize"/>) and what the pointer records of it.</summary>
internal sealed record SerializedSnapshot(string Topic, int Partition, long NextOffset, int Cards, byte[] Data)
{
    /// <summary>Serializes <paramref name="snapshot"/>: the card states as they are now.</summary>
    public static SerializedSnapshot Of(CardStateSnapshot snapshot) =>
        new(snapshot.Topic, snapshot.Partition, snapshot.NextOffset, snapshot.Cards.Count, snapshot.Serialize());
}
