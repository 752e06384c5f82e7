using System.Text;
using Fraud.Streaming.Trainer.History;

namespace Fraud.Streaming.Trainer.Tests;

public sealed class LabelIndexTests
{
    [Fact]
    public void Finds_every_label_by_id_bytes_and_nothing_else()
    {
        var index = new LabelIndex();
        var expected = new Dictionary<string, LabelFacts>(StringComparer.Ordinal);
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
            var facts = new LabelFacts(random.Next(1, 1000), random.Next(3) == 0, random.Next(2) == 0 ? long.MaxValue : random.Next(1, 1000));
            index.Set(Encoding.UTF8.GetBytes(id), facts);
            expected[id] = facts; // the last facts set for an id win
        }

        Assert.Equal(expected.Count, index.Count);
        foreach (var (id, facts) in expected)
        {
            Assert.True(index.TryGet(Encoding.UTF8.GetBytes(id), out var found), id);
            Assert.Equal(facts, found);
        }
        Assert.False(index.TryGet("tx-999999"u8, out _));
        Assert.False(index.TryGet("tx-1-"u8, out _));
        Assert.False(index.TryGet("tx-2-e"u8, out _));
    }

    [Fact]
    public void Adding_labels_keeps_the_latest_label_and_the_earliest_fraud_report_in_any_order()
    {
        var index = new LabelIndex();
        var id = "tx-1"u8;
        index.Add(id, isFraud: true, labelledTicks: 300);
        index.Add(id, isFraud: false, labelledTicks: 500); // a review later found it genuine
        index.Add(id, isFraud: true, labelledTicks: 200);  // an earlier report, arriving late
        Assert.True(index.TryGet(id, out var facts));
        Assert.Equal(new LabelFacts(500, false, 200), facts);
        Assert.False(facts.TargetAsOf(asOfTicks: 600, eventTicks: 100, maturityTicks: 50)); // the latest label, received by then
        Assert.True(facts.TargetAsOf(asOfTicks: 400, eventTicks: 100, maturityTicks: 50));  // reported by then, review not yet
        Assert.False(facts.TargetAsOf(asOfTicks: 150, eventTicks: 100, maturityTicks: 50)); // nothing received yet, but mature
        Assert.Null(facts.TargetAsOf(asOfTicks: 400, eventTicks: 100, maturityTicks: 1000)); // too young: not trained on, reported or not
        Assert.Equal(new LabelFacts(long.MaxValue, false, long.MaxValue), LabelFacts.None);
    }
}
