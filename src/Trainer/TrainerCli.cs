using System.CommandLine;
using Fraud.Streaming.Gbdt;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Postgres;
using Fraud.Streaming.Shared.Progress;
using Fraud.Streaming.Shared.Trust;
using Fraud.Streaming.Trainer.Bench;
using Fraud.Streaming.Trainer.Evaluation;
using Fraud.Streaming.Trainer.Metrics;
using Fraud.Streaming.Trainer.Training;
using Microsoft.Extensions.Configuration;

namespace Fraud.Streaming.Trainer;

/// <summary>
/// The command surface: <c>train</c>, <c>features</c>, <c>models list|promote|rollback</c> and <c>bench</c>. Settings come from the command
/// line, then configuration (appsettings.json, environment: <c>Postgres__ConnectionString</c>,
/// <c>Kafka__BootstrapServers</c>, <c>ModelStore__Kind</c>, ...).
/// </summary>
internal static class TrainerCli
{
    /// <summary>
    /// Runs a trainer command line: the configuration is checked first, as the services check theirs at start (a bad
    /// setting is one line and <see cref="ExitCodes.BadUsage"/>), then the command is parsed and run.
    /// </summary>
    public static async Task<int> RunAsync(IConfiguration configuration, string[] args, TextWriter output, TextWriter error)
    {
        if (ConfigurationProblem(configuration) is { } problem)
        {
            await error.WriteLineAsync($"error: invalid configuration: {problem}");
            return ExitCodes.BadUsage;
        }
        return await CommandLine.InvokeAsync(Build(configuration, output, error).Parse(args), error);
    }

    /// <summary>What is wrong with any configuration section a trainer command reads, or null.</summary>
    internal static string? ConfigurationProblem(IConfiguration configuration) =>
        CliConfiguration.Problem<PostgresOptions>(configuration, PostgresOptions.Section)
        ?? CliConfiguration.Problem<KafkaOptions>(configuration, KafkaOptions.Section)
        ?? CliConfiguration.Problem<ModelStoreOptions>(configuration, ModelStoreOptions.Section)
        ?? CliConfiguration.Problem<ValidationOptions>(configuration, ValidationOptions.Section)
        ?? CliConfiguration.Problem<PushgatewayOptions>(configuration, PushgatewayOptions.Section);

    public static RootCommand Build(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Fraud.Streaming trainer: builds, evaluates, stores, registers and announces fraud models");
        root.Subcommands.Add(TrainCommand(configuration, output, error));
        root.Subcommands.Add(FeaturesCommand(configuration, output, error));
        root.Subcommands.Add(ModelsCommands.Build(configuration, output, error));
        root.Subcommands.Add(BenchCommand.Build(output, error));
        root.Subcommands.Add(KeysCommand.Build(output, error));
        root.Subcommands.Add(Backtest.BacktestCommand.Build(configuration, output, error));
        return root;
    }

    internal static Option<string?> PostgresOption() => new("--pg") { Description = "Npgsql connection string (default: config Postgres:ConnectionString)" };

    internal static Option<string> ModelNameOption() => new("--model-name") { Description = "model name", DefaultValueFactory = _ => "fraud-gbdt" };

    internal static string PostgresConnectionString(IConfiguration configuration, string? fromCommandLine) =>
        fromCommandLine ?? Bind<PostgresOptions>(configuration, PostgresOptions.Section).ConnectionString;

    internal static T Bind<T>(IConfiguration configuration, string section) where T : new() => CliConfiguration.Bind<T>(configuration, section);

    private static Command FeaturesCommand(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var pg = PostgresOption();
        var transactions = new Option<FileInfo?>("--transactions") { Description = "read history from this JSONL file of transactions instead of Postgres" };
        var labels = new Option<FileInfo?>("--labels") { Description = "JSONL file of labels (with --transactions): their fraud reports feed the merchant/device features" };
        var outFile = new Option<FileInfo>("--out") { Description = "JSONL file of feature vectors, one per transaction in history order", Required = true };
        var spec = new FeatureSpecOptions();
        var model = new Option<DirectoryInfo?>("--model")
        {
            Description = "model package whose feature spec must be the one computed (checked as the scorer checks it)",
        };
        var command = new Command("features", "recompute point-in-time features over history (offline path), in the format of score-file --emit-features")
        {
            pg, transactions, labels, outFile, model,
        };
        spec.AddTo(command);
        command.Validators.Add(r =>
        {
            if (r.GetValue(labels) is not null && r.GetValue(transactions) is null)
            {
                r.AddError("--labels goes with --transactions (from Postgres the labels table is read)");
            }
        });
        command.SetAction((parse, cancellationToken) => new FeaturesJob(
            parse.GetValue(transactions)?.FullName,
            parse.GetValue(labels)?.FullName,
            PostgresConnectionString(configuration, parse.GetValue(pg)),
            parse.GetValue(outFile)!.FullName,
            output,
            error,
            spec.Read(parse),
            parse.GetValue(model)?.FullName,
            Bind<ValidationOptions>(configuration, ValidationOptions.Section).MaxFutureSkew).RunAsync(cancellationToken));
        return command;
    }

    private static Command TrainCommand(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var pg = PostgresOption();
        var transactions = new Option<FileInfo?>("--transactions") { Description = "read history from this JSONL file of transactions instead of Postgres" };
        var labels = new Option<FileInfo?>("--labels") { Description = "JSONL file of labels (with --transactions)" };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "folder for model.onnx, manifest.json, report.md and the plots", Required = true };
        var store = new Option<DirectoryInfo?>("--store") { Description = "folder model store (default: config ModelStore, else ./models)" };
        var modelName = ModelNameOption();
        var algo = new Option<string>("--algo") { Description = "gbdt (our histogram GBDT) or lightgbm (the ML.NET LightGBM baseline)", DefaultValueFactory = _ => "gbdt" };
        algo.AcceptOnlyFromAmong("gbdt", "lightgbm");
        var device = DeviceOption();
        var gbdt = new GbdtCliOptions();
        var leaves = new Option<int>("--leaves") { Description = "leaves per tree (--algo lightgbm)", DefaultValueFactory = _ => 31 };
        var minLeaf = new Option<int>("--min-leaf") { Description = "minimum rows per leaf (--algo lightgbm)", DefaultValueFactory = _ => 20 };
        var holdout = new Option<double>("--holdout-fraction") { Description = "newest fraction of labelled rows held out for evaluation only", DefaultValueFactory = _ => 0.2 };
        var validation = new Option<double>("--validation-fraction") { Description = "fraction of labelled rows just before the holdout: early stopping and thresholds", DefaultValueFactory = _ => 0.1 };
        var thresholdMode = new Option<string>("--thresholds") { Description = "cost: minimise expected cost on validation; fpr: cut at --review-fpr/--decline-fpr", DefaultValueFactory = _ => "cost" };
        thresholdMode.AcceptOnlyFromAmong("cost", "fpr");
        var defaults = new DecisionCosts();
        var costMissed = new Option<double>("--cost-missed-fraud") { Description = "cost of approving a fraud (per transaction)", DefaultValueFactory = _ => defaults.MissedFraud };
        var costReview = new Option<double>("--cost-review") { Description = "cost of reviewing a transaction", DefaultValueFactory = _ => defaults.Review };
        var costDeclined = new Option<double>("--cost-declined-good") { Description = "cost of declining a good customer's transaction", DefaultValueFactory = _ => defaults.DeclinedGood };
        var reviewFpr = new Option<double>("--review-fpr") { Description = "validation false-positive rate at the review threshold (--thresholds fpr)", DefaultValueFactory = _ => 0.02 };
        var declineFpr = new Option<double>("--decline-fpr") { Description = "validation false-positive rate at the decline threshold (--thresholds fpr)", DefaultValueFactory = _ => 0.002 };
        var margin = new Option<double>("--promote-margin") { Description = "ROC-AUC gain over the champion needed to promote", DefaultValueFactory = _ => 0.0 };
        var noRegister = new Option<bool>("--no-register") { Description = "write --out only: no store, registry or announcement" };
        var noAnnounce = new Option<bool>("--no-announce") { Description = "do not publish the manifest on the models topic" };
        var announceTimeout = new Option<double>("--announce-timeout") { Description = "seconds to wait for Kafka to acknowledge", DefaultValueFactory = _ => 15 };
        var asOf = AsOfOption();
        var maturity = MaturityOption();
        var schedule = new Option<double?>("--schedule-hours")
        {
            Description = "a scheduled run: train now if a retrain request is open or the champion is at least this many hours old, else exit 0 saying why not",
        };
        var noChallenger = new Option<bool>("--no-challenger") { Description = "a version that is not promoted stays registered instead of becoming the challenger" };
        var spec = new FeatureSpecOptions();
        var attributes = AttributesOption();
        var vocabularyMax = FeatureSpecOptions.Ranged("--vocabulary-max-size",
            "at most this many values per categorical input (channel, merchant category, country, currency, email domain, categorical attributes); rarer ones share the unseen code",
            VocabularyOptions.DefaultMaxSize, 1, 100_000);
        var vocabularyMin = FeatureSpecOptions.Ranged("--vocabulary-min-count",
            "a value enters a vocabulary only when at least this many training rows have it",
            VocabularyOptions.DefaultMinCount, 1, int.MaxValue);
        var command = new Command("train", "train a model from Postgres history (or JSONL files), evaluate, store, register, announce")
        {
            pg, transactions, labels, outDir, store, modelName, algo, device, leaves, minLeaf,
            holdout, validation, thresholdMode, costMissed, costReview, costDeclined, reviewFpr, declineFpr, margin, noRegister, noAnnounce, announceTimeout,
            asOf, maturity, attributes, vocabularyMax, vocabularyMin, schedule, noChallenger,
        };
        spec.AddTo(command);
        gbdt.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var algorithm = parse.GetValue(algo) == "lightgbm" ? TrainAlgorithm.LightGbm : TrainAlgorithm.Gbdt;
            // An option of the other algorithm would be silently ignored: refuse it instead.
            var foreign = algorithm == TrainAlgorithm.Gbdt ? new Option[] { leaves, minLeaf } : gbdt.GbdtOnly;
            if (foreign.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } wrong)
            {
                await error.WriteLineAsync($"error: {wrong.Name} does not apply to --algo {parse.GetValue(algo)}");
                return ExitCodes.BadUsage;
            }
            var storeOptions = Bind<ModelStoreOptions>(configuration, ModelStoreOptions.Section);
            if (parse.GetValue(store) is { } storeDir)
            {
                storeOptions.Kind = ModelStoreOptions.FolderKind;
                storeOptions.Folder = storeDir.FullName;
            }
            var pushgateway = Bind<PushgatewayOptions>(configuration, PushgatewayOptions.Section);
            var gbdtOptions = gbdt.Read(parse);
            var settings = new TrainSettings
            {
                PostgresConnectionString = PostgresConnectionString(configuration, parse.GetValue(pg)),
                TransactionsPath = parse.GetValue(transactions)?.FullName,
                LabelsPath = parse.GetValue(labels)?.FullName,
                OutDirectory = parse.GetValue(outDir)!.FullName,
                Store = storeOptions,
                Kafka = Bind<KafkaOptions>(configuration, KafkaOptions.Section),
                ModelName = parse.GetValue(modelName)!,
                Algorithm = algorithm,
                Device = ParseDevice(parse.GetValue(device)!),
                Gbdt = gbdtOptions,
                LightGbm = new LightGbmParameters(gbdtOptions.Rounds, parse.GetValue(leaves), parse.GetValue(minLeaf), gbdtOptions.LearningRate,
                    gbdtOptions.Seed, gbdtOptions.Threads, gbdtOptions.MaxBins),
                HoldoutFraction = parse.GetValue(holdout),
                ValidationFraction = parse.GetValue(validation),
                ThresholdMode = parse.GetValue(thresholdMode) == "fpr" ? ThresholdMode.Fpr : ThresholdMode.Cost,
                Costs = new DecisionCosts(parse.GetValue(costMissed), parse.GetValue(costReview), parse.GetValue(costDeclined)),
                ReviewFpr = parse.GetValue(reviewFpr),
                DeclineFpr = parse.GetValue(declineFpr),
                PromoteMargin = parse.GetValue(margin),
                Register = !parse.GetValue(noRegister),
                Announce = !parse.GetValue(noAnnounce),
                AnnounceTimeout = TimeSpan.FromSeconds(parse.GetValue(announceTimeout)),
                Spec = spec.Read(parse),
                AsOf = parse.GetValue(asOf),
                LabelMaturityDays = parse.GetValue(maturity),
                AttributesPath = parse.GetValue(attributes)?.FullName,
                Vocabulary = new VocabularyOptions(parse.GetValue(vocabularyMax), parse.GetValue(vocabularyMin)),
                ScheduleHours = parse.GetValue(schedule),
                Challenge = !parse.GetValue(noChallenger),
                Signing = Bind<SigningOptions>(configuration, SigningOptions.Section),
                MaxFutureSkew = Bind<ValidationOptions>(configuration, ValidationOptions.Section).MaxFutureSkew,
            };
            return await new MeasuredTraining(pushgateway, output, error).RunAsync(settings, ProgressFor(output, error), cancellationToken);
        });
        return command;
    }

    /// <summary><c>--attributes FILE</c>: the attributes passed through as features (<see cref="AttributeSpecFile"/>).</summary>
    internal static Option<FileInfo> AttributesOption()
    {
        var option = new Option<FileInfo>("--attributes")
        {
            Description = "JSON file declaring transaction attributes to pass through as features (numeric or categorical, with defaults), e.g. specs/ieee-cis-attributes.json",
        };
        option.AcceptExistingOnly();
        return option;
    }

    /// <summary><c>--as-of</c>: train as of an instant (transactions before it, reports received at or before it).</summary>
    internal static Option<DateTimeOffset?> AsOfOption() => InstantOption("--as-of",
        "train as of this instant (ISO 8601): only transactions before it and labels received at or before it; default: the newest instant the history knows");

    /// <summary>An optional ISO 8601 instant, refused with a one-line parse error when it is not one.</summary>
    internal static Option<DateTimeOffset?> InstantOption(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
            if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var value))
            {
                return value;
            }
            r.AddError($"{name}: '{text}' is not an ISO 8601 time, e.g. 2026-03-01T00:00:00Z");
            return null;
        },
    };

    /// <summary><c>--label-maturity-days</c>: silence means genuine only after this long.</summary>
    internal static Option<int> MaturityOption() => FeatureSpecOptions.Ranged("--label-maturity-days",
        "a transaction this many days old (as of --as-of) without a fraud report counts as genuine; younger unreported ones are not trained on",
        FeatureTableBuilder.DefaultMaturityDays, 1, 3_650);

    internal static Option<string> DeviceOption()
    {
        var device = new Option<string>("--device") { Description = "auto (CUDA when present, else CPU), cpu or cuda (fails without a GPU)", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong("auto", "cpu", "cuda");
        return device;
    }

    internal static GbdtDevice ParseDevice(string device) => device switch
    {
        "cpu" => GbdtDevice.Cpu,
        "cuda" => GbdtDevice.Cuda,
        _ => GbdtDevice.Auto,
    };

    /// <summary>A live line on standard error when it is a terminal; plain <c>[phase]</c> lines on the output otherwise.</summary>
    internal static ProgressDisplay ProgressFor(TextWriter output, TextWriter error, string phase = "train") =>
        new(error, ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected, line => output.WriteLine($"[{phase}] {line}"));
}
