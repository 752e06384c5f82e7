using System.Text;
using Fraud.Streaming.Trainer.History;

namespace Fraud.Streaming.Trainer.Tests;

public sealed class LabelIndexTests
{
    [Fact]
    public void Finds_every_label_by_id_bytes_and_nothing_else()
    {
        var index = new LabelIndex();
        var expected = new Dictionary<string, bool>(StringComparer.Ordinal);
        var random = new Random(4);
        for (var i = 0; i < 50_000; i++)
        {
            // Prefixes of each other, non-ASCII, empty: ids that differ in length or one byte only.
            var id = (i % 5) switch
            {
                0 => $"tx-{i}",
                1 => $"tx-{i / 10}",
                2 => $"tx-{i}-é",
                3 => i == 3 ? "" : $"{i}",
                _ => $"tx-{random.Next(1000)}",
            };
            var isFraud = random.Next(3) == 0;
            index.Set(Encoding.UTF8.GetBytes(id), isFraud);
            expected[id] = isFraud; // the last label of an id wins
        }

        Assert.Equal(expected.Count, index.Count);
        foreach (var (id, isFraud) in expected)
        {
            Assert.True(index.TryGet(Encoding.UTF8.GetBytes(id), out var found), id);
            Assert.Equal(isFraud, found);
        }
        Assert.False(index.TryGet("tx-999999"u8, out _));
        Assert.False(index.TryGet("tx-1-"u8, out _));
        Assert.False(index.TryGet("tx-2-e"u8, out _));
    }
}
