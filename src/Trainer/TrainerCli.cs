using System.CommandLine;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Postgres;
using Fraud.Streaming.Trainer.Training;
using Microsoft.Extensions.Configuration;

namespace Fraud.Streaming.Trainer;

/// <summary>
/// The command surface: <c>train</c>, <c>features</c> and <c>models list|promote|rollback</c>. Settings come from the command
/// line, then configuration (appsettings.json, environment: <c>Postgres__ConnectionString</c>,
/// <c>Kafka__BootstrapServers</c>, <c>ModelStore__Kind</c>, ...).
/// </summary>
internal static class TrainerCli
{
    public static IConfiguration DefaultConfiguration() => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();

    public static RootCommand Build(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Fraud.Streaming trainer: builds, evaluates, stores, registers and announces fraud models");
        root.Subcommands.Add(TrainCommand(configuration, output, error));
        root.Subcommands.Add(FeaturesCommand(configuration, output, error));
        root.Subcommands.Add(ModelsCommands.Build(configuration, output, error));
        return root;
    }

    internal static Option<string?> PostgresOption() => new("--pg") { Description = "Npgsql connection string (default: config Postgres:ConnectionString)" };

    internal static Option<string> ModelNameOption() => new("--model-name") { Description = "model name", DefaultValueFactory = _ => "fraud-gbdt" };

    /// <summary><c>--card-idle-days</c>: part of the feature spec, so <c>train</c> and <c>features</c> must agree with the scorer's <c>Scorer:CardIdleDays</c>.</summary>
    internal static Option<int> CardIdleDaysOption()
    {
        var option = new Option<int>("--card-idle-days")
        {
            Description = "a card idle for longer (event time) starts afresh; part of the feature spec, must match the scorer's Scorer:CardIdleDays",
            DefaultValueFactory = _ => FeatureSpec.DefaultCardIdleDays,
        };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 3_650)
            {
                r.AddError("--card-idle-days must be between 1 and 3650");
            }
        });
        return option;
    }

    internal static string PostgresConnectionString(IConfiguration configuration, string? fromCommandLine) =>
        fromCommandLine ?? Bind<PostgresOptions>(configuration, PostgresOptions.Section).ConnectionString;

    internal static T Bind<T>(IConfiguration configuration, string section) where T : new()
    {
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return options;
    }

    private static Command FeaturesCommand(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var pg = PostgresOption();
        var transactions = new Option<FileInfo?>("--transactions") { Description = "read history from this JSONL file of transactions instead of Postgres" };
        var outFile = new Option<FileInfo>("--out") { Description = "JSONL file of feature vectors, one per transaction in history order", Required = true };
        var cardIdleDays = CardIdleDaysOption();
        var command = new Command("features", "recompute point-in-time features over history (offline path), in the format of score-file --emit-features")
        {
            pg, transactions, outFile, cardIdleDays,
        };
        command.SetAction((parse, cancellationToken) => new FeaturesJob(
            parse.GetValue(transactions)?.FullName,
            PostgresConnectionString(configuration, parse.GetValue(pg)),
            parse.GetValue(outFile)!.FullName,
            output,
            error,
            parse.GetValue(cardIdleDays)).RunAsync(cancellationToken));
        return command;
    }

    private static Command TrainCommand(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var pg = PostgresOption();
        var transactions = new Option<FileInfo?>("--transactions") { Description = "read history from this JSONL file of transactions instead of Postgres" };
        var labels = new Option<FileInfo?>("--labels") { Description = "JSONL file of labels (with --transactions)" };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "folder for model.onnx, manifest.json and report.md", Required = true };
        var store = new Option<DirectoryInfo?>("--store") { Description = "folder model store (default: config ModelStore, else ./models)" };
        var modelName = ModelNameOption();
        var rounds = new Option<int>("--rounds") { Description = "boosting rounds", DefaultValueFactory = _ => 100 };
        var leaves = new Option<int>("--leaves") { Description = "leaves per tree", DefaultValueFactory = _ => 31 };
        var minLeaf = new Option<int>("--min-leaf") { Description = "minimum rows per leaf", DefaultValueFactory = _ => 20 };
        var learningRate = new Option<double>("--learning-rate") { Description = "learning rate", DefaultValueFactory = _ => 0.1 };
        var seed = new Option<int>("--seed") { Description = "random seed (LightGBM runs deterministic)", DefaultValueFactory = _ => 42 };
        var threads = new Option<int?>("--threads") { Description = "LightGBM threads (default: all cores)" };
        var holdout = new Option<double>("--holdout-fraction") { Description = "newest fraction of labelled rows held out", DefaultValueFactory = _ => 0.2 };
        var reviewFpr = new Option<double>("--review-fpr") { Description = "holdout false-positive rate at the review threshold", DefaultValueFactory = _ => 0.02 };
        var declineFpr = new Option<double>("--decline-fpr") { Description = "holdout false-positive rate at the decline threshold", DefaultValueFactory = _ => 0.002 };
        var margin = new Option<double>("--promote-margin") { Description = "ROC-AUC gain over the champion needed to promote", DefaultValueFactory = _ => 0.0 };
        var noRegister = new Option<bool>("--no-register") { Description = "write --out only: no store, registry or announcement" };
        var noAnnounce = new Option<bool>("--no-announce") { Description = "do not publish the manifest on the models topic" };
        var announceTimeout = new Option<double>("--announce-timeout") { Description = "seconds to wait for Kafka to acknowledge", DefaultValueFactory = _ => 15 };

        var cardIdleDays = CardIdleDaysOption();
        var command = new Command("train", "train a model from Postgres history (or JSONL files), evaluate, store, register, announce")
        {
            pg, transactions, labels, outDir, store, modelName, rounds, leaves, minLeaf, learningRate, seed, threads,
            holdout, reviewFpr, declineFpr, margin, noRegister, noAnnounce, announceTimeout, cardIdleDays,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var storeOptions = Bind<ModelStoreOptions>(configuration, ModelStoreOptions.Section);
            if (parse.GetValue(store) is { } storeDir)
            {
                storeOptions.Kind = ModelStoreOptions.FolderKind;
                storeOptions.Folder = storeDir.FullName;
            }
            var settings = new TrainSettings
            {
                PostgresConnectionString = PostgresConnectionString(configuration, parse.GetValue(pg)),
                TransactionsPath = parse.GetValue(transactions)?.FullName,
                LabelsPath = parse.GetValue(labels)?.FullName,
                OutDirectory = parse.GetValue(outDir)!.FullName,
                Store = storeOptions,
                Kafka = Bind<KafkaOptions>(configuration, KafkaOptions.Section),
                ModelName = parse.GetValue(modelName)!,
                Gbdt = new GbdtParameters(parse.GetValue(rounds), parse.GetValue(leaves), parse.GetValue(minLeaf), parse.GetValue(learningRate),
                    parse.GetValue(seed), parse.GetValue(threads)),
                HoldoutFraction = parse.GetValue(holdout),
                ReviewFpr = parse.GetValue(reviewFpr),
                DeclineFpr = parse.GetValue(declineFpr),
                PromoteMargin = parse.GetValue(margin),
                Register = !parse.GetValue(noRegister),
                Announce = !parse.GetValue(noAnnounce),
                AnnounceTimeout = TimeSpan.FromSeconds(parse.GetValue(announceTimeout)),
                CardIdleDays = parse.GetValue(cardIdleDays),
            };
            return new TrainJob(settings, output, error).RunAsync(cancellationToken);
        });
        return command;
    }
}
