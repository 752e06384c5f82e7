namespace Fraud.Streaming.Gbdt.Ilgpu;

/// <summary>
/// The host's half of one level's work, uploaded as one int array (layout: <see cref="LevelPlanViews"/>): which nodes
/// split and how, and how many groups partition and histogram each split. The host knows each parent's row count
/// from the level's split search, not yet its children's: partition groups cover the parent's rows, histogram groups
/// half of them (the smaller child has at most half), and groups past a node's last row return at once.
/// </summary>
internal sealed class LevelPlan
{
    private int[] _ints = new int[64];

    public int Splits { get; private set; }

    public int PartitionGroups { get; private set; }

    public int HistogramItems { get; private set; }

    /// <summary>Child slots the level's splits fill (the highest left slot + 2).</summary>
    public int Children { get; private set; }

    public int Length => CursorsAt + (2 * Splits) + (2 * PartitionGroups) + (3 * HistogramItems);

    public ReadOnlySpan<int> Ints => _ints.AsSpan(0, Length);

    public int CursorsAt => 4 * Splits;

    public int PartitionAt => CursorsAt + (2 * Splits);

    public int HistogramAt => PartitionAt + (2 * PartitionGroups);

    /// <summary>An upper bound of <see cref="Length"/> for a level of <paramref name="splits"/> splits (each chunk count rounds up once per split).</summary>
    public static long MaxLength(DeviceLayout layout, int splits) =>
        (6L * splits) + (2L * (DeviceLayout.Chunks(layout.RowCount, layout.PartitionChunkRows) + splits))
        + (3L * (DeviceLayout.Chunks(layout.RowCount, layout.HistogramChunkRows) + splits));

    /// <summary>A level: the split decisions of its active nodes and each node's row count.</summary>
    public void ForLevel(ReadOnlySpan<NodeDecision> decisions, ReadOnlySpan<int> rowsPerNode, DeviceLayout layout)
    {
        var partitionChunkRows = layout.PartitionChunkRows;
        var histogramChunkRows = layout.HistogramChunkRows;
        Splits = 0;
        PartitionGroups = 0;
        HistogramItems = 0;
        Children = 0;
        foreach (var d in decisions)
        {
            if (d.Feature >= 0)
            {
                Splits++;
                Children = Math.Max(Children, d.LeftSlot + 2);
            }
        }
        for (var node = 0; node < decisions.Length; node++)
        {
            if (decisions[node].Feature >= 0)
            {
                PartitionGroups += DeviceLayout.Chunks(rowsPerNode[node], partitionChunkRows);
                HistogramItems += DeviceLayout.Chunks(rowsPerNode[node] / 2, histogramChunkRows);
            }
        }
        Ensure();
        int s = 0, partition = PartitionAt, histogram = HistogramAt;
        for (var node = 0; node < decisions.Length; node++)
        {
            var d = decisions[node];
            if (d.Feature < 0)
            {
                continue;
            }
            Write(4 * s, node, d.Feature, d.Bin, d.LeftSlot);
            Write(CursorsAt + (2 * s), 0, 0);
            for (var c = 0; c < DeviceLayout.Chunks(rowsPerNode[node], partitionChunkRows); c++, partition += 2)
            {
                Write(partition, s, c);
            }
            for (var c = 0; c < DeviceLayout.Chunks(rowsPerNode[node] / 2, histogramChunkRows); c++, histogram += 3)
            {
                Write(histogram, d.LeftSlot, d.LeftSlot + 1, c);
            }
            s++;
        }
    }

    /// <summary>
    /// A round's root: one "split" of slot 0 into slots 0 (the rows of the round's sample) and 1 (the rest), and the
    /// histogram of slot 0 over all its rows.
    /// </summary>
    public void ForRoot(DeviceLayout layout)
    {
        Splits = 1;
        Children = 2;
        PartitionGroups = DeviceLayout.Chunks(layout.RowCount, layout.PartitionChunkRows);
        HistogramItems = DeviceLayout.Chunks(layout.RowCount, layout.HistogramChunkRows);
        Ensure();
        Write(0, 0, 0, 0, 0);
        Write(CursorsAt, 0, 0);
        for (var c = 0; c < PartitionGroups; c++)
        {
            Write(PartitionAt + (2 * c), 0, c);
        }
        for (var c = 0; c < HistogramItems; c++)
        {
            Write(HistogramAt + (3 * c), 0, 0, c);
        }
    }

    private void Ensure()
    {
        if (_ints.Length < Length)
        {
            _ints = new int[Math.Max(Length, 2 * _ints.Length)];
        }
    }

    private void Write(int at, params ReadOnlySpan<int> values) => values.CopyTo(_ints.AsSpan(at));
}
