using Fraud.Streaming.Gbdt.Ilgpu;

namespace Fraud.Streaming.Gbdt.Tests;

public sealed class LevelPlanTests
{
    // CUDA's shape: partition groups of 2,048 rows, histogram groups of 8,192.
    private static readonly DeviceLayout Cuda = new(1_000_000, 50, DeviceLayout.MaxGroupSize, Multiprocessors: 132);

    [Fact]
    public void A_level_plan_lists_only_the_splits_and_covers_each_parent_and_half_of_it_in_chunks()
    {
        // Node 0 splits (into slots 0, 1), node 1 becomes a leaf, node 2 splits (into slots 2, 3).
        NodeDecision[] decisions = [new(7, 30, 0, -1), new(-1, 0, 0, 4), new(3, 200, 2, -1)];
        int[] rows = [5000, 123, 20_000];
        var plan = new LevelPlan();

        plan.ForLevel(decisions, rows, Cuda);

        Assert.Equal(2, plan.Splits);
        Assert.Equal(4, plan.Children);
        var ints = plan.Ints.ToArray();
        Assert.Equal([0, 7, 30, 0, 2, 3, 200, 2], ints[..plan.CursorsAt]);
        Assert.Equal([0, 0, 0, 0], ints[plan.CursorsAt..plan.PartitionAt]);
        // 5,000 rows = 3 chunks of 2,048; 20,000 = 10.
        Assert.Equal(13, plan.PartitionGroups);
        Assert.Equal([0, 0, 0, 1, 0, 2, 1, 0], ints[plan.PartitionAt..(plan.PartitionAt + 8)]);
        // The smaller child has at most half: 2,500 rows = 1 chunk of 8,192; 10,000 = 2.
        Assert.Equal(3, plan.HistogramItems);
        Assert.Equal([0, 1, 0, 2, 3, 0, 2, 3, 1], ints[plan.HistogramAt..]);
        Assert.True(plan.Length <= LevelPlan.MaxLength(Cuda, plan.Splits));
    }

    [Fact]
    public void The_root_plan_moves_slot_0_into_slots_0_and_1_and_histograms_slot_0_over_every_row()
    {
        var plan = new LevelPlan();

        plan.ForRoot(Cuda);

        Assert.Equal(1, plan.Splits);
        Assert.Equal(489, plan.PartitionGroups); // 1,000,000 / 2,048, rounded up
        Assert.Equal(123, plan.HistogramItems); // 1,000,000 / 8,192, rounded up
        var ints = plan.Ints.ToArray();
        Assert.Equal([0, 0, 0, 0], ints[..4]);
        Assert.Equal([0, 0, 122], ints[^3..]);
        Assert.True(plan.Length <= LevelPlan.MaxLength(Cuda, 1));
    }
}
