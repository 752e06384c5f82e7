using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Files;
using Fraud.Streaming.Shared.Features.Entities;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scorer;

/// <summary>What <c>score-file</c> was asked to do.</summary>
internal sealed record ScoreFileRequest(
    string ModelDirectory,
    string Input,
    string Output,
    string? Dlq = null,
    string? EmitFeatures = null,
    int BatchSize = 512,
    int CardIdleDays = FeatureSpec.DefaultCardIdleDays,
    string? Labels = null,
    int EntityLagHours = EntityFeatures.DefaultLagHours,
    int ReportHorizonDays = EntityFeatures.DefaultReportHorizonDays,
    string SpecName = "card-entity-v1",
    TimeSpan? MaxFutureSkew = null,
    int DuplicateWindow = 100_000,
    ReasonScope ReasonsFor = ReasonScope.Flagged)
{
    /// <summary>Event times are judged against the wall clock at the start, plus this skew (<c>Validation:MaxFutureSkew</c>).</summary>
    public EventTimeWindow Window { get; } = EventTimeWindow.Now(MaxFutureSkew ?? ContractLimits.DefaultMaxFutureSkew);

    /// <summary>The feature spec scored with: the pipeline's, configured as the request says.</summary>
    public FeatureSpec Spec => FeatureSpec.Configure(SpecName, CardIdleDays, EntityLagHours, ReportHorizonDays);
}

/// <summary>What <c>score-file</c> did.</summary>
/// <param name="Unseen">values outside the model's vocabularies per field (<c>field:n,...</c>); empty when none.</param>
internal sealed record ScoreFileResult(long Scored, long Rejected, string ModelVersion, double Seconds, string Unseen = "")
{
    public double Rate => Seconds > 0 ? Scored / Seconds : 0;

    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"scored={Scored} rejected={Rejected} model={ModelVersion} seconds={Seconds:F3} rate={Rate:F0}/s{(Unseen.Length > 0 ? $" unseen={Unseen}" : string.Empty)}");
}

/// <summary>
/// Offline scoring of a JSONL file with the same <see cref="BatchScorer"/> the streaming worker uses:
/// one verdict line per valid transaction, invalid lines reported with their line numbers. The merchant and device
/// totals the entity features read are built from the whole file first (and the fraud reports of <c>--labels</c>), as
/// the aggregator would have closed them: complete for every day a transaction reads, whatever the file's order.
/// </summary>
internal static class ScoreFile
{
    private const int MaxReportedLines = 20;
    private static readonly byte[] Newline = "\n"u8.ToArray();

    public static async Task<int> RunAsync(ScoreFileRequest request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        // Everything is checked before the model is loaded or a file touched: no half-written output on a bad option.
        if (Problem(request) is { } problem)
        {
            await error.WriteLineAsync($"error: {problem}");
            return ExitCodes.BadUsage;
        }
        LoadedModel model;
        try
        {
            model = LoadedModel.FromDirectory(request.ModelDirectory, request.Spec);
        }
        catch (ModelRejectedException ex)
        {
            await error.WriteLineAsync($"error: model in '{request.ModelDirectory}' rejected ({ex.Code}): {ex.Message}");
            return ExitCodes.BadInput;
        }

        try
        {
            using (model)
            {
                var result = await ScoreAsync(model, request, error, cancellationToken);
                await output.WriteLineAsync(result.Summary);
            }
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Failed;
        }
    }

    /// <summary>What is wrong with the request's options and paths, or null.</summary>
    internal static string? Problem(ScoreFileRequest request)
    {
        if (request.BatchSize < 1)
        {
            return $"--batch-size must be at least 1, not {request.BatchSize}";
        }
        var specProblem = FeatureSpecLimits.OutOfRange("--card-idle-days", request.CardIdleDays, FeatureSpecLimits.MinCardIdleDays, FeatureSpecLimits.MaxCardIdleDays)
            ?? FeatureSpecLimits.OutOfRange("--entity-lag-hours", request.EntityLagHours, FeatureSpecLimits.MinEntityLagHours, FeatureSpecLimits.MaxEntityLagHours)
            ?? FeatureSpecLimits.OutOfRange("--report-horizon-days", request.ReportHorizonDays, FeatureSpecLimits.MinReportHorizonDays, FeatureSpecLimits.MaxReportHorizonDays);
        if (specProblem is not null)
        {
            return specProblem;
        }
        if (!Directory.Exists(request.ModelDirectory))
        {
            return $"--model '{request.ModelDirectory}' is not a folder";
        }
        var input = ("--input", (string?)request.Input);
        var labels = ("--labels", request.Labels);
        var outputs = new[] { ("--output", (string?)request.Output), ("--dlq", request.Dlq), ("--emit-features", request.EmitFeatures) };
        var problem = CliPaths.Input(request.Input, "--input") ?? (request.Labels is null ? null : CliPaths.Input(request.Labels, "--labels"));
        for (var i = 0; problem is null && i < outputs.Length; i++)
        {
            var (option, path) = outputs[i];
            if (path is not null)
            {
                // An output may be neither the input nor another output.
                problem = CliPaths.Output(path, option, [input, labels, .. outputs[..i]]);
            }
        }
        return problem;
    }

    public static async Task<ScoreFileResult> ScoreAsync(LoadedModel model, ScoreFileRequest request, TextWriter error, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var input = new FileStream(request.Input, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        await using var verdicts = Create(request.Output)!;
        await using var dlq = Create(request.Dlq);
        await using var featureStream = Create(request.EmitFeatures);
        using var features = featureStream is null ? null : new FeatureVectorWriter(featureStream);
        var spec = request.Spec;
        var entities = spec.HasEntityFeatures ? await OfflineEntities.FromFilesAsync(spec, request.Input, request.Labels, request.Window, cancellationToken) : null;
        var scorer = new BatchScorer(request.BatchSize, spec, entities) { ReasonsFor = request.ReasonsFor };
        var json = new ArrayBufferWriter<byte>(4096);
        await using var writer = new Utf8JsonWriter(json);
        long scored = 0;
        long rejected = 0;
        var unseen = new UnseenValues();
        var unseenReported = 0;
        var batchStart = DateTimeOffset.UtcNow;

        void Flush()
        {
            var results = scorer.Score(model, DateTimeOffset.UtcNow);
            unseen.Record(scorer, model, (field, value, row) =>
            {
                if (++unseenReported <= MaxReportedLines)
                {
                    error.WriteLine($"unseen {field} value '{value}' (first in transaction {scorer.TransactionAt(row).TransactionId.Text}): not in model {model.Version}'s vocabulary");
                }
            });
            foreach (var verdict in results)
            {
                json.ResetWrittenCount();
                writer.Reset(json);
                ContractJson.Serialize(writer, verdict);
                writer.Flush();
                verdicts.Write(json.WrittenSpan);
                verdicts.Write(Newline);
            }
            if (features is not null)
            {
                for (var i = 0; i < scorer.Count; i++)
                {
                    features.Write(scorer.TransactionAt(i).TransactionId.Text!, scorer.FeaturesAt(i));
                }
            }
            scored += scorer.Count;
            scorer.Clear();
        }

        var ids = new RecentTransactionIds(request.DuplicateWindow);
        var lines = new JsonlReader(input);
        while (await lines.ReadAsync(cancellationToken))
        {
            if (scorer.Count == 0)
            {
                batchStart = DateTimeOffset.UtcNow;
            }
            if (Admit(lines, request, ids, out var transaction, out var reason))
            {
                scorer.Add(transaction, batchStart);
                if (scorer.IsFull)
                {
                    Flush();
                }
                continue;
            }
            rejected++;
            if (dlq is not null)
            {
                WriteReject(writer, json, lines.LineNumber, reason, lines.Current.Span);
                dlq.Write(json.WrittenSpan);
                dlq.Write(Newline);
            }
            else if (rejected <= MaxReportedLines)
            {
                await error.WriteLineAsync($"rejected line {lines.LineNumber}: {reason.CodeName}: {reason.Detail}");
            }
        }
        Flush();
        if (dlq is null && rejected > MaxReportedLines)
        {
            await error.WriteLineAsync($"... and {rejected - MaxReportedLines} more rejected lines (use --dlq FILE to keep them all)");
        }
        if (unseenReported > MaxReportedLines)
        {
            await error.WriteLineAsync($"... and {unseenReported - MaxReportedLines} more unseen values");
        }
        return new ScoreFileResult(scored, rejected, model.Version, clock.Elapsed.TotalSeconds, unseen.Summary());
    }

    /// <summary>The line as the streaming worker would take it: the contract, then its id (a file has no keys to check).</summary>
    private static bool Admit(JsonlReader lines, ScoreFileRequest request, RecentTransactionIds ids,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Transaction? transaction, out RejectReason reason)
    {
        transaction = null;
        if (lines.TooLong)
        {
            reason = new RejectReason(RejectCode.TooLarge, $"the line is {lines.Length} bytes long; at most {lines.MaxLineBytes} are read");
            return false;
        }
        if (!TransactionValidator.TryParse(lines.Current.Span, request.Window, out transaction, out reason))
        {
            return false;
        }
        if (!ids.TryAdmit(RecentTransactionIds.KeyOf(transaction.TransactionId), lines.LineNumber, out var first))
        {
            reason = new RejectReason(RejectCode.DuplicateTransactionId, $"transaction_id {transaction.TransactionId} was first read on line {first}");
            transaction = null;
            return false;
        }
        return true;
    }

    private static FileStream? Create(string? path)
    {
        if (path is null)
        {
            return null;
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
    }

    private static void WriteReject(Utf8JsonWriter writer, ArrayBufferWriter<byte> json, long line, RejectReason reason, ReadOnlySpan<byte> raw)
    {
        json.ResetWrittenCount();
        writer.Reset(json);
        writer.WriteStartObject();
        writer.WriteNumber("line"u8, line);
        writer.WriteString("reason"u8, reason.CodeName);
        writer.WriteString("detail"u8, reason.Detail);
        // Lossy only for bytes that are not UTF-8, which the raw line then shows as U+FFFD.
        writer.WriteString("raw"u8, Encoding.UTF8.GetString(raw));
        writer.WriteEndObject();
        writer.Flush();
    }
}
