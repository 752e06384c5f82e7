using System.Text;
using Fraud.Streaming.Scorer;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features.Entities;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scoring.Benchmarks;

/// <summary>What the scoring benchmarks read, named by bench/scoring-costs.sh: the model, the transactions and the entity totals built from them.</summary>
internal sealed record ScoringBenchInputs(LoadedModel Model, string ModelDirectory, EntityTable Entities, string TransactionsPath)
{
    public static ScoringBenchInputs Load()
    {
        var transactions = Env("SCORING_BENCH_TRANSACTIONS");
        var directory = Env("SCORING_BENCH_MODEL");
        var model = LoadedModel.FromDirectory(directory, BatchScorer.Spec);
        var entities = OfflineEntities.FromFilesAsync(BatchScorer.Spec, transactions, Env("SCORING_BENCH_LABELS"),
            EventTimeWindow.Now(ContractLimits.DefaultMaxFutureSkew), CancellationToken.None).GetAwaiter().GetResult();
        return new ScoringBenchInputs(model, directory, entities, transactions);
    }

    /// <summary>A batch scorer of <paramref name="rows"/> over the default spec, reading these entity totals.</summary>
    public BatchScorer NewBatch(int rows) => new(rows, BatchScorer.Spec, Entities);

    /// <summary>Every valid transaction of the file with its bytes, oldest event first.</summary>
    public List<(byte[] Bytes, Transaction Transaction)> ByEventTime() =>
        File.ReadLines(TransactionsPath).Select(l => Encoding.UTF8.GetBytes(l))
            .Select(b => (Bytes: b, Transaction: TransactionValidator.TryParse(b, out var t, out _) ? t : null))
            .Where(x => x.Transaction is not null).Select(x => (x.Bytes, x.Transaction!))
            .OrderBy(x => x.Item2.EventTime).ToList();

    private static string Env(string name) =>
        Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"{name} is not set (run bench/scoring-costs.sh)");
}
