using System.Diagnostics;
using System.Globalization;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Files;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Trainer.History;
using Fraud.Streaming.Trainer.Training;
using Npgsql;

namespace Fraud.Streaming.Trainer;

/// <summary>
/// <c>trainer features</c>: the offline path of the feature pipeline over a whole history (a JSONL file of
/// transactions, or Postgres), one vector per transaction in history order, in the format of
/// <c>scorer score-file --emit-features</c>. The parity tests compare the two files bit for bit.
/// </summary>
/// <param name="cardIdleDays">the card idle time of the feature spec, as the scorer's.</param>
/// <param name="modelDirectory">a model package: the features are that model's (its spec, its frozen merchant
/// table), exactly what the scorer serving it computes. Without one, only the card features (card-v1).</param>
internal sealed class FeaturesJob(
    string? transactionsPath,
    string postgresConnectionString,
    string outPath,
    TextWriter output,
    TextWriter error,
    int cardIdleDays = FeatureSpec.DefaultCardIdleDays,
    string? modelDirectory = null,
    TimeSpan? maxFutureSkew = null)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var problem = transactionsPath is null ? null : CliPaths.Input(transactionsPath, "--transactions");
        problem ??= CliPaths.Output(outPath, "--out", ("--transactions", transactionsPath));
        if (problem is null && modelDirectory is not null && !Directory.Exists(modelDirectory))
        {
            problem = $"--model '{modelDirectory}' is not a folder";
        }
        if (problem is not null)
        {
            await error.WriteLineAsync($"error: {problem}");
            return ExitCodes.BadUsage;
        }
        try
        {
            await using var dataSource = transactionsPath is null ? await PostgresAccess.OpenAsync(postgresConnectionString, cancellationToken) : null;
            IHistorySource source = transactionsPath is null
                ? new PostgresHistorySource(dataSource!, withLabels: false, maxFutureSkew)
                : new JsonlHistorySource(transactionsPath, null, maxFutureSkew);
            try
            {
                await WriteAsync(source, cancellationToken);
            }
            catch (NpgsqlException ex)
            {
                throw new PostgresUnavailableException($"reading history from {PostgresAccess.Describe(postgresConnectionString)} failed: {PostgresAccess.OneLine(ex)}", ex);
            }
            return ExitCodes.Ok;
        }
        catch (PostgresUnavailableException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.PostgresUnavailable;
        }
        catch (ModelRejectedException ex)
        {
            await error.WriteLineAsync($"error: model in '{modelDirectory}' rejected ({ex.Code}): {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: {PostgresAccess.OneLine(ex)}");
            return ExitCodes.Failed;
        }
    }

    /// <summary>The spec and merchant table to compute: the model package's (checked as the scorer checks them), or card-v1.</summary>
    /// <exception cref="ModelRejectedException">the package is unreadable, for another spec, or its table is bad.</exception>
    private (FeatureSpec Spec, MerchantTable? Merchants) Pipeline()
    {
        if (modelDirectory is null)
        {
            return (CardFeatureExtractor.Spec.WithCardIdleDays(cardIdleDays), null);
        }
        var (manifest, _, tableBytes) = ModelPackage.Read(modelDirectory);
        var spec = FeatureSpec.CardMerchantV1.WithCardIdleDays(cardIdleDays);
        ModelPackage.CheckFeatureSpec(manifest, spec, "trainer features");
        return (spec, ModelPackage.CheckMerchantTable(manifest, tableBytes));
    }

    private async Task WriteAsync(IHistorySource source, CancellationToken cancellationToken)
    {
        var (spec, merchants) = Pipeline();
        var clock = Stopwatch.StartNew();
        var directory = Path.GetDirectoryName(Path.GetFullPath(outPath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        var pipeline = new PointInTimeFeatures(spec, merchants);
        await using (var stream = new FileStream(outPath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20))
        {
            using var writer = new FeatureVectorWriter(stream);
            await foreach (var batch in source.ReadAsync(cancellationToken))
            {
                for (var row = 0; row < batch.Count; row++)
                {
                    writer.Write(batch.Id(row), pipeline.Next(batch, row));
                }
            }
        }
        if (source.Refusals.Describe("history rows") is { } refused)
        {
            await error.WriteLineAsync($"warning: {refused}");
        }
        var seconds = clock.Elapsed.TotalSeconds;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"features source=\"{source.Description}\" transactions={pipeline.TransactionCount} cards={pipeline.CardCount} spec={spec.Name} hash={spec.Hash} seconds={seconds:F3} rate={(seconds > 0 ? pipeline.TransactionCount / seconds : 0):F0}/s"));
    }
}
