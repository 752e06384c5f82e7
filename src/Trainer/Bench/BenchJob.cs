using System.Diagnostics;
using System.Globalization;
using System.Text;
using Fraud.Streaming.Gbdt;
using Fraud.Streaming.DataSets.Replay;
using Fraud.Streaming.DataSets.Synthetic;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Features.Vocabularies;
using Fraud.Streaming.Shared.Quality;
using Fraud.Streaming.Trainer.History;
using Fraud.Streaming.Trainer.Training;

namespace Fraud.Streaming.Trainer.Bench;

/// <summary>
/// <c>trainer bench</c>: our GBDT (CPU, and CUDA when present) against ML.NET LightGBM at comparable settings, in one
/// process and one run: (a) wall time on a synthetic matrix, each from raw float rows to a trained model (binning or
/// data-view building included); (b) ROC-AUC on the newest rows of the synthetic fraud world, and of an IEEE-CIS
/// file when given (without and with its declared attributes), all through the shared feature pipeline with vocabularies
/// learned from the training rows.
/// </summary>
internal sealed class BenchJob(BenchSettings settings, TextWriter output, TextWriter error)
{
    /// <summary>The quality target: ours may trail LightGBM's ROC-AUC by at most this much.</summary>
    public const double AucTolerance = 0.002;

    internal sealed record SpeedRow(string Engine, double? Seconds, string? Note);

    internal sealed record QualityRow(string Data, int TrainRows, int HoldoutRows, long HoldoutFraud, double Ours, double LightGbm)
    {
        public double Difference => Ours - LightGbm;
        public bool MeetsTarget => Difference >= -AucTolerance;
    }

    public Task<int> RunAsync(CancellationToken cancellationToken) => Task.Factory.StartNew(() =>
    {
        if (CommandFailure.Refused(settings.Validate, error) is { } refused)
        {
            return refused;
        }
        return CommandFailure.Run(error, () => Run(cancellationToken));
    }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private int Run(CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = settings;
        var leaves = 1 << s.Depth;
        Log(string.Create(inv, $"settings: {s.Rounds} rounds, depth {s.Depth} (LightGBM: max depth {s.Depth}, {leaves} leaves), {s.MaxBins} bins, learning rate {s.LearningRate}, min child weight {s.MinChildWeight} (LightGBM: also min leaf rows {MinLeafRows}), lambda 1, threads {s.Threads?.ToString(inv) ?? "all"}"));

        // (a) speed
        var watch = Stopwatch.StartNew();
        var (x, y) = SyntheticMatrix.Generate(s.Rows, s.Features, s.Seed);
        Log(string.Create(inv, $"speed data: {s.Rows:N0} rows x {s.Features} features, {y.Count(l => l):N0} positive, generated in {watch.Elapsed.TotalSeconds:F1} s"));
        // Warm both up (JIT, ML.NET's and LightGBM's first-use costs) so the timings compare training, not start-up.
        var (wx, wy) = SyntheticMatrix.Generate(500, s.Features, s.Seed + 1);
        GbdtTrainer.Train(new GbdtDataset(wx, 500, s.Features, wy), null, Ours(GbdtDevice.Cpu) with { Rounds = 2 }, cancellationToken: cancellationToken);
        LightGbmBaseline.Train(new FeatureTable(s.Features, wx, wy, new DateTimeOffset[500], Utf8Column.From(new string[500])), LightGbm() with { Rounds = 2 });
        var speed = new List<SpeedRow>();
        var cpu = Time(() => TrainOurs(new GbdtDataset(x, s.Rows, s.Features, y), GbdtDevice.Cpu, cancellationToken));
        speed.Add(new SpeedRow($"ours ({cpu.Result.DeviceDescription})", cpu.Seconds, null));
        Log(string.Create(inv, $"ours on cpu: {cpu.Seconds:F2} s"));
        if (CudaProblem() is { } problem)
        {
            speed.Add(new SpeedRow("ours (cuda)", null, problem));
            Log($"ours on cuda: skipped ({problem})");
        }
        else
        {
            var cuda = Time(() => TrainOurs(new GbdtDataset(x, s.Rows, s.Features, y), GbdtDevice.Cuda, cancellationToken));
            speed.Add(new SpeedRow($"ours ({cuda.Result.DeviceDescription})", cuda.Seconds, null));
            Log(string.Create(inv, $"ours on cuda: {cuda.Seconds:F2} s"));
        }
        var matrix = new FeatureTable(s.Features, x, y, new DateTimeOffset[s.Rows], Utf8Column.From(new string[s.Rows]));
        var lightGbm = Time(() => LightGbmBaseline.Train(matrix, LightGbm()));
        speed.Add(new SpeedRow("ML.NET LightGBM (cpu)", lightGbm.Seconds, null));
        Log(string.Create(inv, $"LightGBM: {lightGbm.Seconds:F2} s"));
        matrix = null;
        (x, y) = (null!, null!);

        // (b) quality
        var quality = new List<QualityRow>();
        if (s.Transactions > 0)
        {
            watch.Restart();
            var table = SyntheticWorld(s.Transactions);
            Log(string.Create(inv, $"synthetic world: {s.Transactions:N0} transactions ({table.FraudCount:N0} fraud) through the feature pipeline in {watch.Elapsed.TotalSeconds:F1} s"));
            quality.Add(Compare(string.Create(inv, $"synthetic fraud world, {s.Transactions:N0} transactions"), table, cancellationToken));
        }
        if (s.IeeeCisTransactions is { } input)
        {
            watch.Restart();
            var attributes = s.AttributesPath is { } path ? AttributeSpecFile.Read(path) : AttributeSpecFile.IeeeCis();
            var layout = new EncodingLayout(attributes);
            var (table, malformed) = IeeeCis(input, s.IeeeCisIdentity, layout);
            Log(string.Create(inv, $"IEEE-CIS {Path.GetFileName(input)}: {table.RowCount:N0} labelled rows ({table.FraudCount:N0} fraud, {malformed:N0} malformed skipped) in {watch.Elapsed.TotalSeconds:F1} s"));
            quality.Add(Compare($"IEEE-CIS {Path.GetFileName(input)}, without attributes", table, cancellationToken, EncodingLayout.FieldsOnly));
            quality.Add(Compare(string.Create(inv, $"IEEE-CIS {Path.GetFileName(input)}, with {attributes.Count} attributes ({(s.AttributesPath is { } p ? Path.GetFileName(p) : "ieee-cis-attributes.json")})"),
                table, cancellationToken, layout));
        }

        var markdown = Render(speed, quality);
        output.Write(markdown);
        if (s.OutFile is { } outFile)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(outFile));
            if (dir is not null)
            {
                Directory.CreateDirectory(dir);
            }
            File.WriteAllText(outFile, markdown);
            Log($"wrote {outFile}");
        }
        return ExitCodes.Ok;
    }

    /// <summary>Our GBDT with its rounds on the progress display (a live line on a terminal); the display is throttled, so it costs nothing measurable.</summary>
    private GbdtModel TrainOurs(GbdtDataset data, GbdtDevice device, CancellationToken cancellationToken)
    {
        var display = TrainerCli.ProgressFor(output, error, "bench");
        try
        {
            return GbdtTrainer.Train(data, null, Ours(device), new RoundProgress(display), cancellationToken);
        }
        finally
        {
            display.Finish();
        }
    }

    private int MinLeafRows => Math.Max(1, (int)Math.Round(settings.MinChildWeight));

    private GbdtOptions Ours(GbdtDevice device) => new()
    {
        Rounds = settings.Rounds,
        MaxDepth = settings.Depth,
        MaxBins = settings.MaxBins,
        LearningRate = settings.LearningRate,
        MinChildWeight = settings.MinChildWeight,
        Lambda = 1,
        Seed = settings.Seed,
        Threads = settings.Threads,
        Device = device,
    };

    private LightGbmParameters LightGbm() => new(settings.Rounds, 1 << settings.Depth, MinLeafRows, settings.LearningRate, settings.Seed,
        settings.Threads, settings.MaxBins, MaxDepth: settings.Depth, MinChildWeight: settings.MinChildWeight, L2: 1);

    /// <summary>Null when CUDA trains; else why not. Probed on a tiny set so a missing GPU costs no binning of the big one.</summary>
    private string? CudaProblem()
    {
        var (x, y) = SyntheticMatrix.Generate(200, 2, 1);
        try
        {
            GbdtTrainer.Train(new GbdtDataset(x, 200, 2, y), null, new GbdtOptions { Rounds = 1, MaxDepth = 1, Device = GbdtDevice.Cuda });
            return null;
        }
        catch (NotSupportedException ex)
        {
            return $"not available: {PostgresAccess.OneLine(ex)}";
        }
    }

    /// <param name="layout">what the encoding reads (a subset of the attributes the table was read with); all when null.</param>
    private QualityRow Compare(string name, FeatureTable all, CancellationToken cancellationToken, EncodingLayout? layout = null)
    {
        var holdoutCount = Math.Clamp((int)Math.Round(all.RowCount * settings.HoldoutFraction), 1, all.RowCount - 1);
        var train = all.Slice(0, all.RowCount - holdoutCount);
        var encoding = VocabularyFitter.Fit(train, new VocabularyOptions(), layout);
        train = train.Encode(encoding);
        var holdout = all.Slice(all.RowCount - holdoutCount, holdoutCount).Encode(encoding);
        if (holdout.FraudCount == 0 || train.FraudCount == 0)
        {
            throw new InvalidOperationException($"{name}: the training rows ({train.FraudCount} fraud) and the holdout ({holdout.FraudCount} fraud) both need fraud");
        }
        var ours = TrainedGbdt.Train(train, null, Ours(GbdtDevice.Cpu), cancellationToken: cancellationToken);
        var oursAuc = new BinaryEvaluator(ours.PredictReference(holdout), holdout.Labels).RocAuc();
        var lightGbm = LightGbmBaseline.Train(train, LightGbm());
        var theirs = new float[holdout.RowCount];
        for (var i = 0; i < theirs.Length; i++)
        {
            theirs[i] = lightGbm.Ensemble.PredictProbability(holdout.Row(i));
        }
        var theirAuc = new BinaryEvaluator(theirs, holdout.Labels).RocAuc();
        Log(string.Create(CultureInfo.InvariantCulture, $"{name}: ROC-AUC ours {oursAuc:F4}, LightGBM {theirAuc:F4}"));
        return new QualityRow(name, train.RowCount, holdout.RowCount, holdout.FraudCount, oursAuc, theirAuc);
    }

    private static FeatureTable SyntheticWorld(int transactions)
    {
        var generator = new SyntheticGenerator(new SyntheticSettings { Count = transactions, Cards = Math.Max(2_000, transactions / 50), Seed = 42 });
        var builder = new FeatureTableBuilder(FeatureSpec.CardV1);
        for (var i = 0; i < transactions; i++)
        {
            var e = generator.Next();
            builder.Add(HistoryRow.Of(e.Transaction, e.Label.IsFraud, e.Label.LabelledAt));
        }
        return builder.Build();
    }

    private static (FeatureTable Table, long Malformed) IeeeCis(string input, string? identity, EncodingLayout layout)
    {
        var source = new ReplaySource(new ReplaySettings { Format = ReplayFormat.IeeeCis, Input = input, Identity = identity });
        var rows = source.Records().Select(r => HistoryRow.Of(r.Transaction, r.Label?.IsFraud, r.Label?.LabelledAt)).ToList();
        rows.Sort((a, b) => HistoryOrder.Compare(a.Transaction, b.Transaction));
        var builder = new FeatureTableBuilder(FeatureSpec.CardV1, layout: layout);
        foreach (var row in rows)
        {
            builder.Add(row);
        }
        return (builder.Build(), source.Malformed);
    }

    private static (T Result, double Seconds) Time<T>(Func<T> action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var watch = Stopwatch.StartNew();
        var result = action();
        return (result, watch.Elapsed.TotalSeconds);
    }

    internal string Render(IReadOnlyList<SpeedRow> speed, IReadOnlyList<QualityRow> quality)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = settings;
        var md = new StringBuilder();
        md.Append(inv, $"## Speed: {s.Rows:N0} rows x {s.Features} features, {s.Rounds} rounds, depth {s.Depth}, {s.MaxBins} bins\n\n");
        md.Append("Wall time from raw float rows to a trained model (binning / data view included).\n\n");
        md.Append("| engine | wall time (s) | ratio to LightGBM |\n| --- | ---: | ---: |\n");
        var reference = speed.Last().Seconds;
        foreach (var row in speed)
        {
            if (row.Seconds is { } t)
            {
                md.Append(inv, $"| {row.Engine} | {t:F2} | {t / reference:F2} |\n");
            }
            else
            {
                md.Append(inv, $"| {row.Engine} | {row.Note} | |\n");
            }
        }
        if (quality.Count > 0)
        {
            md.Append(inv, $"\n## Quality: ROC-AUC on the newest {s.HoldoutFraction:P0} of labelled rows (time-based holdout)\n\n");
            md.Append("| data | train rows | holdout rows (fraud) | ours | LightGBM | ours − LightGBM | ≥ −0.002 |\n| --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
            foreach (var q in quality)
            {
                md.Append(inv, $"| {q.Data} | {q.TrainRows:N0} | {q.HoldoutRows:N0} ({q.HoldoutFraud:N0}) | {q.Ours:F4} | {q.LightGbm:F4} | {q.Difference:+0.0000;-0.0000} | {(q.MeetsTarget ? "yes" : "NO")} |\n");
            }
        }
        return md.ToString();
    }

    private void Log(string message) => output.WriteLine($"[bench] {message}");
}
