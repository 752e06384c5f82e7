using System.Diagnostics;
using System.Globalization;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Postgres;
using Fraud.Streaming.Shared.Progress;
using Fraud.Streaming.Trainer.History;
using Npgsql;

namespace Fraud.Streaming.Trainer.Backtest;

/// <summary><c>trainer backtest</c>: read the history once, walk forward over it, write the report.</summary>
internal sealed class BacktestJob(BacktestSettings settings, TextWriter output, TextWriter error, ProgressDisplay progress)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (CommandFailure.Refused(settings.Validate, error) is { } refused)
        {
            return refused;
        }
        return await CommandFailure.RunAsync(error, async () =>
        {
            await using var dataSource = settings.FromFiles ? null : await PostgresAccess.OpenAsync(settings.PostgresConnectionString, cancellationToken);
            IHistorySource source = settings.FromFiles
                ? new JsonlHistorySource(settings.TransactionsPath!, settings.LabelsPath!, settings.MaxFutureSkew)
                : new PostgresHistorySource(dataSource!, maxFutureSkew: settings.MaxFutureSkew);
            var scenarios = settings.FromFiles ? ScenariosFromFile(settings.LabelsPath!) : await ScenariosFromPostgresAsync(dataSource!, cancellationToken);
            var watch = Stopwatch.StartNew();
            BacktestHistory history;
            try
            {
                history = await BacktestHistory.ReadAsync(source, settings.Spec, id => scenarios.GetValueOrDefault(id),
                    rows => progress.ReportThrottled(() => string.Create(CultureInfo.InvariantCulture, $"read {rows:N0} transactions")), cancellationToken);
            }
            catch (NpgsqlException ex)
            {
                throw new PostgresUnavailableException($"reading history from {PostgresAddress.Describe(settings.PostgresConnectionString)} failed: {PostgresAccess.OneLine(ex)}", ex);
            }
            progress.Finish();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"[backtest] {history.Count} transactions from {source.Description} through spec {settings.Spec.Name} in {watch.Elapsed.TotalSeconds:F1} s"));
            var periods = new WalkForward(history, settings, progress).Run(cancellationToken);
            progress.Finish();
            if (periods.Count == 0)
            {
                await error.WriteLineAsync($"error: no period to evaluate: the history ({history.Count} transactions) is shorter than the warm-up ({settings.WarmupDays} days) plus one period, or has no labelled fraud before a retrain");
                return ExitCodes.Failed;
            }
            var files = BacktestReport.Write(settings.OutDirectory, periods, settings, source.Description);
            foreach (var (scenario, seen, caught) in BacktestReport.Adaptation(periods))
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"[backtest] {scenario}: first seen in period {seen + 1}; recall at 1% FPR reached 50% {(caught is { } c ? $"{c - seen} periods later" : "in no later period")}"));
            }
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"backtest periods={periods.Count} mean_roc_auc={periods.Where(p => !double.IsNaN(p.RocAuc)).Select(p => p.RocAuc).DefaultIfEmpty(double.NaN).Average():F4} mean_recall@1%fpr={periods.Where(p => !double.IsNaN(p.RecallAt1PctFpr)).Select(p => p.RecallAt1PctFpr).DefaultIfEmpty(double.NaN).Average():F4} report={Path.Combine(settings.OutDirectory, files[0])}"));
            return ExitCodes.Ok;
        });
    }

    private static Dictionary<string, string> ScenariosFromFile(string path)
    {
        var scenarios = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            if (!string.IsNullOrWhiteSpace(line) && ContractJson.DeserializeLabel(System.Text.Encoding.UTF8.GetBytes(line)) is { IsFraud: true, Scenario: { } scenario } label)
            {
                scenarios[label.TransactionId] = scenario;
            }
        }
        return scenarios;
    }

    private static async Task<Dictionary<string, string>> ScenariosFromPostgresAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var scenarios = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand("SELECT transaction_id, scenario FROM labels WHERE scenario IS NOT NULL AND first_fraud_at IS NOT NULL");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            scenarios[reader.GetString(0)] = reader.GetString(1);
        }
        return scenarios;
    }
}
