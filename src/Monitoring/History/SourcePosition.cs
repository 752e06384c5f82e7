using System.Globalization;

namespace Fraud.Streaming.Monitoring.History;

/// <summary>Where a message was read: topic, partition, offset. A message read again is at the same position.</summary>
internal readonly record struct SourcePosition(string Topic, int Partition, long Offset)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Topic}/{Partition}/{Offset}");
}
