using System.Diagnostics;
using System.Globalization;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Files;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Postgres;
using Fraud.Streaming.Trainer.History;
using Fraud.Streaming.Trainer.Training;
using Npgsql;

namespace Fraud.Streaming.Trainer;

/// <summary>
/// <c>trainer features</c>: the offline path of the feature pipeline over a whole history (JSONL files of
/// transactions and labels, or Postgres), one vector per transaction in history order, in the format of
/// <c>scorer score-file --emit-features</c>. The parity tests compare the two files bit for bit. With a model package
/// the vectors end with that model's encoded features (its vocabularies and attributes), as the scorer serves them.
/// </summary>
/// <param name="labelsPath">the labels with the transactions file: their fraud reports feed the entity features.</param>
/// <param name="spec">the feature spec to compute, configured as the scorer's.</param>
/// <param name="modelDirectory">a model package whose spec must be <paramref name="spec"/> with its encoding: checked as the scorer checks it.</param>
internal sealed class FeaturesJob(
    string? transactionsPath,
    string? labelsPath,
    string postgresConnectionString,
    string outPath,
    TextWriter output,
    TextWriter error,
    FeatureSpec spec,
    string? modelDirectory = null,
    TimeSpan? maxFutureSkew = null)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var problem = transactionsPath is null ? null : CliPaths.Input(transactionsPath, "--transactions");
        problem ??= labelsPath is null ? null : CliPaths.Input(labelsPath, "--labels");
        problem ??= CliPaths.Output(outPath, "--out", ("--transactions", transactionsPath), ("--labels", labelsPath));
        if (problem is null && modelDirectory is not null && !Directory.Exists(modelDirectory))
        {
            problem = $"--model '{modelDirectory}' is not a folder";
        }
        if (problem is not null)
        {
            await error.WriteLineAsync($"error: {problem}");
            return ExitCodes.BadUsage;
        }
        return await CommandFailure.RunAsync(error, async () =>
        {
            var modelSpec = ModelSpec();
            var layout = modelSpec.Encoding.Layout;
            await using var dataSource = transactionsPath is null ? await PostgresAccess.OpenAsync(postgresConnectionString, cancellationToken) : null;
            IHistorySource source = transactionsPath is null
                ? new PostgresHistorySource(dataSource!, withLabels: true, maxFutureSkew, layout)
                : new JsonlHistorySource(transactionsPath, labelsPath, maxFutureSkew, layout);
            try
            {
                await WriteAsync(source, modelSpec, cancellationToken);
            }
            catch (NpgsqlException ex)
            {
                throw new PostgresUnavailableException($"reading history from {PostgresAddress.Describe(postgresConnectionString)} failed: {PostgresAccess.OneLine(ex)}", ex);
            }
            return ExitCodes.Ok;
        });
    }

    /// <summary>The spec the vectors follow: the model's (with its encoding) when a package is given, else <c>spec</c>.</summary>
    /// <exception cref="ModelRejectedException">the package is unreadable or for another spec.</exception>
    private FeatureSpec ModelSpec()
    {
        if (modelDirectory is null)
        {
            return spec;
        }
        var (manifest, _) = ModelPackage.Read(modelDirectory);
        return ModelPackage.SpecOf(manifest, spec, "trainer features");
    }

    private async Task WriteAsync(IHistorySource source, FeatureSpec modelSpec, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var directory = Path.GetDirectoryName(Path.GetFullPath(outPath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        var pipeline = new PointInTimeFeatures(modelSpec);
        var encoding = modelSpec.Encoding;
        var vector = new float[modelSpec.Count];
        var unseen = new bool[encoding.Layout.SlotCount];
        await using (var stream = new FileStream(outPath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20))
        {
            using var writer = new FeatureVectorWriter(stream);
            await foreach (var batch in source.ReadAsync(cancellationToken))
            {
                for (var row = 0; row < batch.Count; row++)
                {
                    pipeline.Next(batch, row).CopyTo(vector);
                    encoding.Write(batch.Slots(row), vector.AsSpan(modelSpec.ComputedCount), unseen);
                    writer.Write(batch.Id(row), vector);
                }
            }
        }
        if (source.Refusals.Describe("history rows") is { } refused)
        {
            TrainerLog.HistoryRowsRefused(TrainerLog.For(error), refused);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"features source=\"{source.Description}\" transactions={pipeline.TransactionCount} cards={pipeline.CardCount} spec={modelSpec.Name} hash={modelSpec.Hash} seconds={seconds:F3} rate={(seconds > 0 ? pipeline.TransactionCount / seconds : 0):F0}/s"));
    }
}
