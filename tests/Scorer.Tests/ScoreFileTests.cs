using System.Text.Json;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Scorer.Tests;

public sealed class ScoreFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private (ScoreFileRequest Request, List<Transaction> Valid) Prepare(int count, bool withMalformed, bool features = false, bool dlq = false)
    {
        TestModels.WritePackage(_dir.File("model"), "v-test-1", seed: 3);
        var valid = TestData.Transactions(count);
        var lines = new List<string>();
        for (var i = 0; i < valid.Count; i++)
        {
            lines.Add(TestData.Jsonl([valid[i]]).TrimEnd('\n'));
            if (withMalformed && i % 50 == 10)
            {
                lines.Add(TestData.Malformed[(i / 50) % TestData.Malformed.Length].Line);
            }
        }
        lines.Add(string.Empty); // a blank line is not a transaction and not a reject
        File.WriteAllLines(_dir.File("tx.jsonl"), lines);
        var request = new ScoreFileRequest(_dir.File("model"), _dir.File("tx.jsonl"), _dir.File("out/verdicts.jsonl"),
            Dlq: dlq ? _dir.File("dlq.jsonl") : null, EmitFeatures: features ? _dir.File("features.jsonl") : null, BatchSize: 64);
        return (request, valid);
    }

    private static List<Verdict> ReadVerdicts(string path) =>
        File.ReadAllLines(path).Select(l => ContractJson.DeserializeVerdict(System.Text.Encoding.UTF8.GetBytes(l))).ToList();

    [Fact]
    public async Task Every_valid_line_gets_exactly_one_verdict_with_the_model_version()
    {
        var (request, valid) = Prepare(1000, withMalformed: true);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await ScoreFile.RunAsync(request, stdout, stderr, CancellationToken.None);

        Assert.Equal(0, exit);
        var verdicts = ReadVerdicts(request.Output);
        Assert.Equal(valid.Select(t => t.TransactionId), verdicts.Select(v => v.TransactionId));
        Assert.All(verdicts, v => Assert.Equal("v-test-1", v.ModelVersion));
        Assert.All(verdicts, v => Assert.InRange(v.Score, 0f, 1f));
        // Reasons for the verdicts an analyst sees; approvals carry none.
        Assert.All(verdicts, v => Assert.Equal(v.Decision == Decision.Approve ? 0 : 3, v.Reasons.Count));
        Assert.Contains(verdicts, v => v.Decision != Decision.Approve);
        Assert.Equal(valid.Select(t => t.EventTime), verdicts.Select(v => v.EventTime));
        Assert.StartsWith("scored=1000 rejected=20 model=v-test-1 seconds=", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_lines_are_rejected_with_their_line_number_and_reason()
    {
        var (request, _) = Prepare(300, withMalformed: true, dlq: true);

        var exit = await ScoreFile.RunAsync(request, new StringWriter(), new StringWriter(), CancellationToken.None);

        Assert.Equal(0, exit);
        var rejects = File.ReadAllLines(request.Dlq!).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(6, rejects.Count);
        var input = File.ReadAllLines(request.Input);
        foreach (var reject in rejects)
        {
            var line = input[reject.GetProperty("line").GetInt32() - 1];
            Assert.Equal(line, reject.GetProperty("raw").GetString());
            var expected = TestData.Malformed.Single(m => m.Line == line).Code;
            Assert.Equal(expected, reject.GetProperty("reason").GetString());
            Assert.False(string.IsNullOrEmpty(reject.GetProperty("detail").GetString()));
        }
    }

    [Fact]
    public async Task Without_a_dlq_file_rejected_line_numbers_are_reported()
    {
        var (request, _) = Prepare(100, withMalformed: true);
        var stderr = new StringWriter();

        await ScoreFile.RunAsync(request, new StringWriter(), stderr, CancellationToken.None);

        // Line 12 is the first malformed one: 11 valid lines precede it.
        Assert.Contains("rejected line 12: bad_json:", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decisions_follow_the_manifest_thresholds()
    {
        var (request, _) = Prepare(2000, withMalformed: false);

        await ScoreFile.RunAsync(request, new StringWriter(), new StringWriter(), CancellationToken.None);

        var verdicts = ReadVerdicts(request.Output);
        foreach (var v in verdicts)
        {
            var expected = v.Score >= 0.8f ? Decision.Decline : v.Score >= 0.5f ? Decision.Review : Decision.Approve;
            Assert.Equal(expected, v.Decision);
        }
        // The test model spreads traffic over every band, so the check above is not vacuous.
        Assert.Equal(3, verdicts.Select(v => v.Decision).Distinct().Count());
    }

    [Fact]
    public async Task Emitted_features_equal_the_shared_extractor_applied_to_the_same_stream()
    {
        var (request, valid) = Prepare(1500, withMalformed: true, features: true);

        await ScoreFile.RunAsync(request, new StringWriter(), new StringWriter(), CancellationToken.None);

        var store = new CardStateStore();
        var expected = new float[TestModels.Spec().Count];
        var slots = new ulong[TestModels.Encoding.Layout.SlotCount];
        var unseen = new bool[slots.Length];
        // The merchant and device totals of the whole file (no labels: no reports), as score-file builds them first.
        var entities = BatchScorer.Spec.NewEntityTable();
        foreach (var t in valid.DistinctBy(t => t.TransactionId))
        {
            entities.AddHistory(FeatureInput.Of(t), long.MaxValue, BatchScorer.Spec.ReportHorizonDays);
        }
        var lines = File.ReadAllLines(request.EmitFeatures!);
        Assert.Equal(valid.Count, lines.Length);
        for (var i = 0; i < valid.Count; i++)
        {
            CardFeatureExtractor.ExtractAndUpdate(ref store.GetOrAdd(valid[i].CardId), valid[i], expected);
            entities.Write(FeatureInput.Of(valid[i]), expected.AsSpan(FeatureSpec.CardV1.Count)); // after the card features
            TestModels.Encoding.Layout.Read(valid[i], slots);
            TestModels.Encoding.Write(slots, expected.AsSpan(BatchScorer.Spec.Count), unseen); // then the model's encoded features
            var row = JsonDocument.Parse(lines[i]).RootElement;
            Assert.Equal(valid[i].TransactionId, row.GetProperty("transaction_id").GetString());
            var actual = row.GetProperty("features").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public async Task A_missing_input_or_a_bad_model_exits_non_zero_with_a_message()
    {
        var (request, _) = Prepare(10, withMalformed: false);
        var stderr = new StringWriter();

        var missing = await ScoreFile.RunAsync(request with { Input = _dir.File("nope.jsonl") }, new StringWriter(), stderr, CancellationToken.None);
        Assert.Equal(ExitCodes.BadUsage, missing);
        Assert.Contains("nope.jsonl' does not exist", stderr.ToString(), StringComparison.Ordinal);

        File.WriteAllBytes(Path.Combine(request.ModelDirectory, ModelPackage.OnnxFileName), TestModels.Onnx(seed: 99));
        stderr = new StringWriter();
        var badModel = await ScoreFile.RunAsync(request, new StringWriter(), stderr, CancellationToken.None);
        Assert.Equal(ExitCodes.BadInput, badModel);
        Assert.Contains("rejected (sha_mismatch)", stderr.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(request.Output));
    }

    [Fact]
    public async Task The_command_line_runs_score_file()
    {
        var (request, valid) = Prepare(50, withMalformed: false);
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        try
        {
            var exit = await ScorerCommands.Build()
                .Parse(["score-file", "--model", request.ModelDirectory, "--input", request.Input, "--output", request.Output])
                .InvokeAsync();
            Assert.Equal(0, exit);
        }
        finally
        {
            Console.SetOut(previous);
        }
        Assert.Equal(valid.Count, File.ReadAllLines(request.Output).Length);
        Assert.Contains("scored=50 rejected=0 model=v-test-1", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_output_that_is_the_input_is_refused_before_anything_is_written()
    {
        var (request, _) = Prepare(50, withMalformed: false);
        var before = File.ReadAllBytes(request.Input);
        foreach (var bad in new[] { request with { Output = request.Input }, request with { Dlq = request.Input }, request with { EmitFeatures = request.Output } })
        {
            var stderr = new StringWriter();
            Assert.Equal(ExitCodes.BadUsage, await ScoreFile.RunAsync(bad, new StringWriter(), stderr, CancellationToken.None));
            Assert.Contains("the same file as", stderr.ToString(), StringComparison.Ordinal);
        }
        Assert.Equal(before, File.ReadAllBytes(request.Input));
        Assert.False(File.Exists(request.Output));
    }

    [Fact]
    public async Task Duplicate_ids_and_lines_beyond_the_contract_are_rejected_with_their_line_number()
    {
        var (request, valid) = Prepare(20, withMalformed: false, dlq: true);
        File.AppendAllLines(request.Input,
        [
            System.Text.Encoding.UTF8.GetString(ContractJson.Serialize(valid[3] with { Amount = 1 })),
            System.Text.Encoding.UTF8.GetString(ContractJson.Serialize(valid[4] with { TransactionId = "far", EventTime = new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero) })),
        ]);
        Assert.Equal(ExitCodes.Ok, await ScoreFile.RunAsync(request, new StringWriter(), new StringWriter(), CancellationToken.None));
        Assert.Equal(valid.Count, ReadVerdicts(request.Output).Count);
        var rejects = File.ReadAllLines(request.Dlq!);
        Assert.Contains(rejects, l => l.Contains("\"duplicate_transaction_id\"", StringComparison.Ordinal));
        Assert.Contains(rejects, l => l.Contains("\"invalid_event_time\"", StringComparison.Ordinal));
    }

    public void Dispose() => _dir.Dispose();
}
