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

    private static string Env(string name) =>
        Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"{name} is not set (run bench/scoring-costs.sh)");
}
