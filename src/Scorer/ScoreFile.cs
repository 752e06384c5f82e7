using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
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
    int EntityLagDays = EntityFeatures.DefaultLagDays,
    int ReportHorizonDays = EntityFeatures.DefaultReportHorizonDays,
    string SpecName = "card-entity-v1")
{
    /// <summary>The feature spec scored with: the pipeline's, configured as the request says.</summary>
    public FeatureSpec Spec => FeatureSpec.Configure(SpecName, CardIdleDays, EntityLagDays, ReportHorizonDays);
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
    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitBadInput = 2;
    public const int ExitBadModel = 3;
    private const int MaxReportedLines = 20;
    private static readonly byte[] Newline = "\n"u8.ToArray();

    public static async Task<int> RunAsync(ScoreFileRequest request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!File.Exists(request.Input))
        {
            await error.WriteLineAsync($"error: input file '{request.Input}' does not exist");
            return ExitBadInput;
        }
        if (request.BatchSize < 1)
        {
            await error.WriteLineAsync($"error: --batch-size must be at least 1, not {request.BatchSize}");
            return ExitBadInput;
        }
        if (request.CardIdleDays is < 1 or > 3_650)
        {
            await error.WriteLineAsync($"error: --card-idle-days must be between 1 and 3650, not {request.CardIdleDays}");
            return ExitBadInput;
        }
        if (request.EntityLagDays is < 1 or > 30 || request.ReportHorizonDays is < 1 or > 3_650)
        {
            await error.WriteLineAsync($"error: --entity-lag-days must be between 1 and 30 and --report-horizon-days between 1 and 3650");
            return ExitBadInput;
        }
        if (request.Labels is { } labels && !File.Exists(labels))
        {
            await error.WriteLineAsync($"error: labels file '{labels}' does not exist");
            return ExitBadInput;
        }
        LoadedModel model;
        try
        {
            model = LoadedModel.FromDirectory(request.ModelDirectory, request.Spec);
        }
        catch (ModelRejectedException ex)
        {
            await error.WriteLineAsync($"error: model in '{request.ModelDirectory}' rejected ({ex.Code}): {ex.Message}");
            return ExitBadModel;
        }

        try
        {
            using (model)
            {
                var result = await ScoreAsync(model, request, error, cancellationToken);
                await output.WriteLineAsync(result.Summary);
            }
            return ExitOk;
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitFailed;
        }
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
        var entities = spec.HasEntityFeatures ? await OfflineEntities.FromFilesAsync(spec, request.Input, request.Labels, cancellationToken) : null;
        var scorer = new BatchScorer(request.BatchSize, spec, entities);
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
                    error.WriteLine($"unseen {field} value '{value}' (first in transaction {scorer.TransactionAt(row).TransactionId}): not in model {model.Version}'s vocabulary");
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
                    features.Write(scorer.TransactionAt(i).TransactionId, scorer.FeaturesAt(i));
                }
            }
            scored += scorer.Count;
            scorer.Clear();
        }

        await JsonlLineReader.ReadAsync(input, (line, number) =>
        {
            if (line.IndexOfAnyExcept(" \t"u8) < 0)
            {
                return;
            }
            if (scorer.Count == 0)
            {
                batchStart = DateTimeOffset.UtcNow;
            }
            if (TransactionValidator.TryParse(line, out var transaction, out var reason))
            {
                scorer.Add(transaction, batchStart);
                if (scorer.IsFull)
                {
                    Flush();
                }
                return;
            }
            rejected++;
            if (dlq is not null)
            {
                WriteReject(writer, json, number, reason, line);
                dlq.Write(json.WrittenSpan);
                dlq.Write(Newline);
            }
            else if (rejected <= MaxReportedLines)
            {
                error.WriteLine($"rejected line {number}: {reason.CodeName}: {reason.Detail}");
            }
        }, cancellationToken);
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
