using System.CommandLine;

namespace Fraud.Streaming.Trainer.Bench;

/// <summary><c>trainer bench</c>: our GBDT against ML.NET LightGBM, speed and quality, side by side in one run.</summary>
internal static class BenchCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var defaults = new BenchSettings();
        var rows = new Option<int>("--rows") { Description = "rows of the synthetic speed matrix", DefaultValueFactory = _ => defaults.Rows };
        var features = new Option<int>("--features") { Description = "features of the synthetic speed matrix", DefaultValueFactory = _ => defaults.Features };
        var rounds = new Option<int>("--rounds") { Description = "boosting rounds (both engines)", DefaultValueFactory = _ => defaults.Rounds };
        var depth = new Option<int>("--depth") { Description = "tree depth (LightGBM: max depth and 2^depth leaves)", DefaultValueFactory = _ => defaults.Depth };
        var maxBins = new Option<int>("--max-bins") { Description = "histogram bins per feature (both engines)", DefaultValueFactory = _ => defaults.MaxBins };
        var learningRate = new Option<double>("--learning-rate") { Description = "learning rate (both engines)", DefaultValueFactory = _ => defaults.LearningRate };
        var minChildWeight = new Option<double>("--min-child-weight") { Description = "minimum hessian per child (LightGBM: also min rows per leaf)", DefaultValueFactory = _ => defaults.MinChildWeight };
        var seed = new Option<int>("--seed") { Description = "seed of the data generators and both engines", DefaultValueFactory = _ => defaults.Seed };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for both engines (default: all cores)" };
        var transactions = new Option<int>("--transactions") { Description = "synthetic fraud-world transactions for the quality comparison (0 = skip)", DefaultValueFactory = _ => defaults.Transactions };
        var input = new Option<FileInfo?>("--input") { Description = "IEEE-CIS train_transaction.csv for a second quality comparison" };
        var identity = new Option<FileInfo?>("--identity") { Description = "IEEE-CIS train_identity.csv joined to --input" };
        var attributes = new Option<FileInfo?>("--attributes")
        {
            Description = "the attributes of --input to compare without and with (as train --attributes); default: the shipped IEEE-CIS declaration, specs/ieee-cis-attributes.json",
        };
        var outFile = new Option<FileInfo?>("--out") { Description = "write the result as Markdown to this file" };
        var command = new Command("bench", "our GBDT (cpu, and cuda when present) vs ML.NET LightGBM: speed on a synthetic matrix and ROC-AUC on time-based holdouts")
        {
            rows, features, rounds, depth, maxBins, learningRate, minChildWeight, seed, threads, transactions, input, identity, attributes, outFile,
        };
        command.SetAction((parse, cancellationToken) => new BenchJob(new BenchSettings
        {
            Rows = parse.GetValue(rows),
            Features = parse.GetValue(features),
            Rounds = parse.GetValue(rounds),
            Depth = parse.GetValue(depth),
            MaxBins = parse.GetValue(maxBins),
            LearningRate = parse.GetValue(learningRate),
            MinChildWeight = parse.GetValue(minChildWeight),
            Seed = parse.GetValue(seed),
            Threads = parse.GetValue(threads),
            Transactions = parse.GetValue(transactions),
            IeeeCisTransactions = parse.GetValue(input)?.FullName,
            IeeeCisIdentity = parse.GetValue(identity)?.FullName,
            AttributesPath = parse.GetValue(attributes)?.FullName,
            OutFile = parse.GetValue(outFile)?.FullName,
        }, output, error).RunAsync(cancellationToken));
        return command;
    }
}
