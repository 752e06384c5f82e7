using System.CommandLine;
using Fraud.Streaming.Shared.Contracts;
using Microsoft.Extensions.Configuration;

namespace Fraud.Streaming.Trainer.Backtest;

/// <summary><c>trainer backtest</c>: walk-forward retraining over a history, from files or Postgres.</summary>
internal static class BacktestCommand
{
    public static Command Build(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var pg = TrainerCli.PostgresOption();
        var transactions = new Option<FileInfo?>("--transactions") { Description = "read history from this JSONL file of transactions instead of Postgres" };
        var labels = new Option<FileInfo?>("--labels") { Description = "JSONL file of labels (with --transactions)" };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "folder for backtest.md and the plots", Required = true };
        var firstRetrain = TrainerCli.InstantOption("--first-retrain", "the first retrain (ISO 8601); default: --warmup-days after the first transaction");
        var warmup = FeatureSpecOptions.Ranged("--warmup-days", "days of history before the first retrain (without --first-retrain)", 30, 1, 3_650);
        var every = FeatureSpecOptions.Ranged("--every-days", "days between retrains: the length of each scored period", 7, 1, 365);
        var maturity = TrainerCli.MaturityOption();
        var spec = new FeatureSpecOptions();
        var gbdt = new GbdtCliOptions();
        var command = new Command("backtest", "walk forward over a history: retrain on a schedule, score each next period, report per period and per fraud scenario")
        {
            pg, transactions, labels, outDir, firstRetrain, warmup, every, maturity,
        };
        spec.AddTo(command);
        gbdt.AddTo(command);
        command.SetAction((parse, cancellationToken) => new BacktestJob(new BacktestSettings
        {
            PostgresConnectionString = TrainerCli.PostgresConnectionString(configuration, parse.GetValue(pg)),
            TransactionsPath = parse.GetValue(transactions)?.FullName,
            LabelsPath = parse.GetValue(labels)?.FullName,
            OutDirectory = parse.GetValue(outDir)!.FullName,
            FirstRetrain = parse.GetValue(firstRetrain),
            WarmupDays = parse.GetValue(warmup),
            EveryDays = parse.GetValue(every),
            LabelMaturityDays = parse.GetValue(maturity),
            Spec = spec.Read(parse),
            Gbdt = gbdt.Read(parse),
            MaxFutureSkew = TrainerCli.Bind<ValidationOptions>(configuration, ValidationOptions.Section).MaxFutureSkew,
        }, output, error, TrainerCli.ProgressFor(output, error, "backtest")).RunAsync(cancellationToken));
        return command;
    }
}
