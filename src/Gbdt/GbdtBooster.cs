using System.Diagnostics;

namespace Fraud.Streaming.Gbdt;

/// <summary>The boosting loop: depth-wise growth one level at a time on a backend, early stopping, progress.</summary>
internal static class GbdtBooster
{
    public static GbdtModel Train(GbdtDataset train, GbdtDataset? validation, GbdtOptions options,
        IProgress<GbdtRound>? progress, CancellationToken cancellationToken,
        Func<TrainingRows, ParallelOptions, (IGbdtBackend Backend, string Reason)>? backendFactory = null)
    {
        GbdtValidation.Check(options, train, validation);
        var clock = Stopwatch.StartNew();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads ?? Environment.ProcessorCount, CancellationToken = cancellationToken };
        var labels = train.Labels.ToArray();
        var positives = labels.Count(l => l);
        var positiveWeight = options.ScalePosWeight;
        var baseMargin = (float)Math.Log(positiveWeight * positives / (labels.Length - positives));
        var binned = QuantileBinner.Bin(train, options.MaxBins, parallel);
        var rows = new TrainingRows(binned, labels, positiveWeight, baseMargin, options.Seed, options.RowSubsample);
        var (backend, deviceReason) = backendFactory is null ? BackendFactory.Create(options.Device, rows, parallel) : backendFactory(rows, parallel);
        using var owned = backend;

        var trees = new List<GbdtTree>();
        var validationMargins = validation is null ? null : new double[validation.RowCount];
        if (validationMargins is not null)
        {
            Array.Fill(validationMargins, (double)baseMargin);
        }
        var bestLoss = double.PositiveInfinity;
        var bestRound = 0;
        for (var round = 0; round < options.Rounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (tree, trainLoss) = Round(backend, binned, options, round);
            if (tree is null)
            {
                break; // no split passes the limits; later rounds would grow the same empty tree
            }
            trees.Add(tree);
            double? validationLoss = null;
            if (validation is not null && validationMargins is not null)
            {
                validationLoss = AddAndScore(tree, validation, validationMargins);
            }
            if (options.EarlyStoppingRounds == 0 || validationLoss < bestLoss)
            {
                bestLoss = validationLoss ?? bestLoss;
                bestRound = trees.Count;
            }
            progress?.Report(new GbdtRound(trees.Count, options.Rounds, trainLoss, validationLoss, clock.Elapsed));
            if (options.EarlyStoppingRounds > 0 && trees.Count - bestRound >= options.EarlyStoppingRounds)
            {
                break;
            }
        }
        if (trees.Count > bestRound)
        {
            trees.RemoveRange(bestRound, trees.Count - bestRound);
        }
        return new GbdtModel(train.FeatureCount, baseMargin, trees, backend.Description, bestRound) { DeviceReason = deviceReason };
    }

    /// <summary>Features a tree may split on: the ColumnSubsample share with the smallest hashes of (seed, round, feature).</summary>
    internal static bool[] FeaturesForTree(int features, double fraction, int seed, int round)
    {
        var allowed = new bool[features];
        if (fraction >= 1.0)
        {
            Array.Fill(allowed, true);
            return allowed;
        }
        var keep = Math.Max(1, (int)Math.Round(fraction * features));
        var order = Enumerable.Range(0, features)
            .OrderBy(f => KernelMath.Hash(seed ^ 0x5bd1e995, round, f))
            .ThenBy(f => f)
            .Take(keep);
        foreach (var f in order)
        {
            allowed[f] = true;
        }
        return allowed;
    }

    /// <summary>
    /// One tree, added to the training margins. A failure of the device itself (a driver error, a kernel that does not
    /// launch) becomes one line naming the device and the round, for the caller to show; the original stays inside.
    /// </summary>
    private static (GbdtTree? Tree, double TrainLoss) Round(IGbdtBackend backend, BinnedData data, GbdtOptions o, int round)
    {
        try
        {
            var (tree, binTree) = GrowTree(backend, data, o, round);
            return tree is null ? (null, double.NaN) : (tree, backend.FinishTree(binTree!));
        }
        catch (Exception e) when (e is not (OperationCanceledException or ArgumentException or NotSupportedException or OutOfMemoryException))
        {
            throw new InvalidOperationException($"growing tree {round + 1} on {backend.Description} failed: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    private static (GbdtTree? Tree, BinTree? BinTree) GrowTree(IGbdtBackend backend, BinnedData data, GbdtOptions o, int round)
    {
        var start = backend.BeginTree(round);
        var p = new SplitParams(1.0 / start.ScaleG, 1.0 / start.ScaleH, o.Lambda, o.MinChildWeight, o.MinSplitGain);
        var allowed = FeaturesForTree(data.FeatureCount, o.ColumnSubsample, o.Seed, round);

        var splitFeature = new List<int>();
        var splitBin = new List<int>();
        var threshold = new List<float>();
        var left = new List<int>();
        var right = new List<int>();
        var leafValues = new List<float>();

        // Per active node: integer totals and where its parent points to it (-1 = root).
        var totals = new List<long> { start.TotalG, start.TotalH };
        var parents = new List<(int Node, bool IsLeft)> { (-1, false) };
        var best = Array.Empty<SplitCandidate>();
        for (var depth = 0; depth <= o.MaxDepth && parents.Count > 0; depth++)
        {
            var active = parents.Count;
            var canSplit = depth < o.MaxDepth;
            if (canSplit)
            {
                if (best.Length < active)
                {
                    best = new SplitCandidate[active];
                }
                backend.FindSplits(active, totals.ToArray(), allowed, p, best.AsSpan(0, active));
            }
            var decisions = new NodeDecision[active];
            var nextTotals = new List<long>();
            var nextParents = new List<(int Node, bool IsLeft)>();
            for (var i = 0; i < active; i++)
            {
                var split = canSplit ? best[i] : SplitCandidate.None(0);
                int pointer;
                if (split.Feature < 0)
                {
                    var leafId = leafValues.Count;
                    leafValues.Add(LeafValue(totals[2 * i], totals[(2 * i) + 1], p, o));
                    decisions[i] = new NodeDecision(-1, 0, 0, leafId);
                    pointer = ~leafId;
                }
                else
                {
                    var node = splitFeature.Count;
                    splitFeature.Add(split.Feature);
                    splitBin.Add(split.Bin);
                    threshold.Add(data.Thresholds[split.Feature][split.Bin]);
                    left.Add(0);
                    right.Add(0);
                    var slot = nextParents.Count;
                    nextTotals.AddRange([split.LeftG, split.LeftH, totals[2 * i] - split.LeftG, totals[(2 * i) + 1] - split.LeftH]);
                    nextParents.Add((node, true));
                    nextParents.Add((node, false));
                    decisions[i] = new NodeDecision(split.Feature, split.Bin, slot, -1);
                    pointer = node;
                }
                var (parent, isLeft) = parents[i];
                if (parent >= 0)
                {
                    (isLeft ? left : right)[parent] = pointer;
                }
            }
            if (splitFeature.Count == 0)
            {
                return (null, null);
            }
            backend.ApplySplits(decisions, buildHistograms: depth + 1 < o.MaxDepth);
            totals = nextTotals;
            parents = nextParents;
        }
        var leaves = leafValues.ToArray();
        return (new GbdtTree([.. splitFeature], [.. threshold], [.. left], [.. right], leaves),
            new BinTree([.. splitFeature], [.. splitBin], [.. left], [.. right], leaves));
    }

    private static float LeafValue(long g, long h, SplitParams p, GbdtOptions o) =>
        (float)(-(g * p.InvScaleG) / ((h * p.InvScaleH) + o.Lambda) * o.LearningRate);

    private static double AddAndScore(GbdtTree tree, GbdtDataset data, double[] margins)
    {
        var x = data.Features.Span;
        var labels = data.Labels.Span;
        var features = data.FeatureCount;
        double loss = 0;
        for (var r = 0; r < data.RowCount; r++)
        {
            margins[r] += GbdtPredictor.LeafValue(tree, x.Slice(r * features, features));
            loss += TrainingRows.LogLoss(labels[r], margins[r]);
        }
        return loss / data.RowCount;
    }
}
