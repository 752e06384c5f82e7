using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Fraud.Streaming.Producer.Output;
using Fraud.Streaming.Producer.Publishing;
using Fraud.Streaming.DataSets.Synthetic;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Files;
using Fraud.Streaming.Shared.Kafka;
using Microsoft.Extensions.Logging;

namespace Fraud.Streaming.Producer;

/// <summary><c>synthetic</c>: the labelled synthetic card world, to files or to Kafka.</summary>
internal static class SyntheticCommand
{
    public static Command Create(KafkaOptions kafka, ValidationOptions validation, ILoggerFactory loggers)
    {
        var count = Positive(new Option<int>("--count") { Description = "Transactions to generate", DefaultValueFactory = _ => 10_000 });
        var cards = Positive(new Option<int>("--cards") { Description = "Cards in the world", DefaultValueFactory = _ => 2_000 });
        var merchants = Positive(new Option<int>("--merchants") { Description = "Merchants in the world", DefaultValueFactory = _ => 500 });
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives byte-identical output", DefaultValueFactory = _ => 42 };
        var fraudRate = new Option<double>("--fraud-rate") { Description = "Share of fraudulent transactions, in [0, 0.9)", DefaultValueFactory = _ => 0.01 };
        fraudRate.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0 or >= 0.9)
            {
                r.AddError("--fraud-rate must be in [0, 0.9)");
            }
        });
        var start = new Option<DateTimeOffset>("--start")
        {
            Description = "Event time of the first transaction (ISO 8601)",
            DefaultValueFactory = _ => SyntheticSettings.DefaultStart,
            CustomParser = ParseInstant,
        };
        var spanDays = PositiveDouble(new Option<double>("--span-days") { Description = "Event-time span the transactions cover", DefaultValueFactory = _ => 14 });
        var outDir = new Option<string?>("--out-dir") { Description = "Write transactions.jsonl and labels.jsonl here instead of publishing" };
        var bootstrap = new Option<string?>("--bootstrap") { Description = $"Kafka bootstrap servers (default Kafka:BootstrapServers, now {kafka.BootstrapServers})" };
        var rate = new Option<double>("--rate") { Description = "Transactions per second when publishing; 0 = as fast as possible", DefaultValueFactory = _ => 0 };
        rate.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() < 0)
            {
                r.AddError("--rate must not be negative");
            }
        });
        var labelDelay = new Option<double>("--label-delay-seconds") { Description = "Wall-clock delay between a transaction and its label on the labels topic", DefaultValueFactory = _ => 2 };
        var malformed = new Option<int>("--malformed") { Description = "Also publish this many malformed transaction messages (header malformed.id)", DefaultValueFactory = _ => 0 };
        var mix = new Option<ScenarioMix>("--scenario-mix")
        {
            Description = $"Relative weights of the fraud scenarios (default {ScenarioMix.Default})",
            DefaultValueFactory = _ => ScenarioMix.Default,
            CustomParser = r =>
            {
                var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
                if (ScenarioMix.TryParse(text, out var parsed, out var error))
                {
                    return parsed;
                }
                r.AddError($"--scenario-mix: {error}");
                return ScenarioMix.Default;
            },
        };
        var world = new Option<string>("--world")
        {
            Description = "hard (default): genuine behaviour that looks like fraud, fraud that looks genuine, 10% of fraud never reported, "
                + "card activity from monthly to daily; classic: the earlier, easy world (its own scenario mix unless --scenario-mix is given). docs/SYNTHETIC.md",
            DefaultValueFactory = _ => "hard",
        };
        world.AcceptOnlyFromAmong("hard", "classic");
        var vocabulary = new Option<string>("--vocabulary")
        {
            Description = "words (default): channels online/pos/contactless, categories as words; mcc: canonical channels (ecommerce, card_present, contactless) and ISO 18245 MCC codes",
            DefaultValueFactory = _ => "words",
        };
        vocabulary.AcceptOnlyFromAmong("words", "mcc");
        var speedup = new Option<double?>("--speedup")
        {
            Description = "Event time runs this many times faster than wall time when publishing at --rate (e.g. 20160: two weeks in a minute); "
                + "labels then follow at their event-time chargeback delay divided by it, replacing --label-delay-seconds",
        };
        var duration = new Option<double?>("--duration-seconds") { Description = "Keep publishing until this much time passed (--count is then ignored)" };
        var labelMode = new Option<string>("--labels")
        {
            Description = "fraud-reports: only fraud reports (1-30 days later) and a few genuine reviews, as issuers send them; all: a label for every transaction (genuine ones settled after 45 days; fraud never reported says genuine); truth: every transaction's ground truth, never-reported fraud included (for evaluation)",
            DefaultValueFactory = _ => "fraud-reports",
        };
        labelMode.AcceptOnlyFromAmong("fraud-reports", "all", "truth");
        var reviewRate = new Option<double>("--review-rate") { Description = "With --labels fraud-reports: share of genuine transactions confirmed by a review label", DefaultValueFactory = _ => 0.01 };
        reviewRate.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0 or > 1)
            {
                r.AddError("--review-rate must be in [0, 1]");
            }
        });
        var scenarioFrom = new Option<Dictionary<string, DateTimeOffset>>("--scenario-from")
        {
            Description = "NAME=TIME: the scenario does not happen before TIME (ISO 8601), a new fraud pattern from then on; repeatable",
            DefaultValueFactory = _ => [],
            Arity = ArgumentArity.OneOrMore,
            CustomParser = ParseScenarioFrom,
        };

        var amountScale = PositiveDouble(new Option<double>("--amount-scale")
        {
            Description = "Multiply every amount by this: shifted traffic, for drift (1 = the world as it is)",
            DefaultValueFactory = _ => 1,
        });
        var idPrefix = new Option<string?>("--id-prefix")
        {
            Description = "Transaction ids start with this (default tx-SEED-): a second run of the same seed continues the same world from a later --start without reusing ids",
        };
        var command = new Command("synthetic", "Generate a deterministic, labelled synthetic card world")
        {
            count, cards, merchants, seed, fraudRate, start, spanDays, outDir, bootstrap, rate, labelDelay, malformed, duration, mix, speedup,
            labelMode, reviewRate, scenarioFrom, amountScale, idPrefix, world, vocabulary,
        };
        var client = new KafkaClientOptions();
        client.AddTo(command);
        command.Validators.Add(r =>
        {
            if (r.GetValue(speedup) is { } x && (x <= 0 || r.GetValue(rate) <= 0 || r.GetValue(outDir) is not null))
            {
                r.AddError("--speedup must be positive and needs --rate > 0 when publishing to Kafka (event time = speed-up x wall time)");
            }
            if (r.GetValue(outDir) is not null && r.GetValue(duration) is not null)
            {
                r.AddError("--duration-seconds only applies when publishing to Kafka, not with --out-dir");
            }
            if (r.GetValue(duration) is { } seconds && (!(seconds > 0) || r.GetValue(rate) <= 0))
            {
                r.AddError("--duration-seconds must be positive and needs --rate > 0 (an unpaced run has no end in event time)");
            }
        });

        command.SetAction((parse, cancellationToken) =>
        {
            var settings = new SyntheticSettings
            {
                Count = parse.GetValue(count),
                Cards = parse.GetValue(cards),
                Merchants = parse.GetValue(merchants),
                Seed = parse.GetValue(seed),
                FraudRate = parse.GetValue(fraudRate),
                Start = parse.GetValue(start),
                SpanDays = parse.GetValue(spanDays),
                Mix = parse.GetValue(world) == "classic" && parse.GetResult(mix) is null or { Implicit: true } ? ScenarioMix.Classic : parse.GetValue(mix)!,
                Realism = parse.GetValue(world) == "classic" ? WorldRealism.None : WorldRealism.Hard,
                Vocabulary = parse.GetValue(vocabulary) == "mcc" ? WorldVocabulary.Mcc : WorldVocabulary.Words,
                MeanGapSeconds = parse.GetValue(speedup) is { } x ? x / parse.GetValue(rate) : null,
                Labels = parse.GetValue(labelMode) switch { "all" => LabelMode.All, "truth" => LabelMode.Truth, _ => LabelMode.FraudReports },
                ReviewRate = parse.GetValue(reviewRate),
                ScenarioFrom = parse.GetValue(scenarioFrom)!,
                AmountScale = parse.GetValue(amountScale),
                IdPrefix = parse.GetValue(idPrefix),
            };
            var logger = loggers.CreateLogger("Fraud.Streaming.Producer");
            var directory = parse.GetValue(outDir);
            // Checked before anything is generated: what this run writes must be what the consumers accept.
            var planned = directory is null && parse.GetValue(duration) is { } wall ? (long)Math.Ceiling(parse.GetValue(rate) * wall) : settings.Count;
            var problem = SyntheticTimePlan.Problem(settings, planned, validation.MaxFutureSkew, DateTimeOffset.UtcNow);
            if (problem is null && directory is not null)
            {
                problem = CliPaths.OutputDirectory(directory, "--out-dir",
                    [SyntheticFileExport.TransactionsFile, SyntheticFileExport.LabelsFile, SyntheticFileExport.MalformedFile]);
            }
            if (problem is not null)
            {
                Console.Error.WriteLine($"error: {problem}");
                return Task.FromResult(ExitCodes.BadUsage);
            }
            if (directory is not null)
            {
                var export = SyntheticFileExport.Run(settings, directory, parse.GetValue(malformed), cancellationToken);
                ProducerLog.FilesWritten(logger, export.Transactions, export.Fraud, directory, export.Elapsed.TotalSeconds, export.Transactions / Math.Max(1e-9, export.Elapsed.TotalSeconds));
                Console.Out.WriteLine($"wrote transactions={export.Transactions} labels={export.Labels} fraud={export.Fraud} malformed={export.Malformed}");
                return Task.FromResult(ExitCodes.Ok);
            }

            var options = kafka.WithBootstrapServers(parse.GetValue(bootstrap));
            var display = PublishProgress.ForConsole(logger);
            var publish = new PublishSettings
            {
                Rate = parse.GetValue(rate),
                LabelDelay = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(labelDelay))),
                Malformed = Math.Max(0, parse.GetValue(malformed)),
                Duration = parse.GetValue(duration) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                LingerMs = parse.GetValue(client.Linger),
                Compression = parse.GetValue(client.Compression),
                BatchSize = parse.GetValue(client.BatchSize),
                Speedup = parse.GetValue(speedup),
                ProgressInterval = display.Interval,
            };
            // The blocking loop runs off the invocation thread so Ctrl-C can cancel it promptly.
            return Task.Factory.StartNew(
                () =>
                {
                    var counters = new KafkaPublisher(options, logger, display).Run(settings, publish, cancellationToken);
                    Console.Out.WriteLine(counters.Summary());
                    return counters.AllDelivered ? ExitCodes.Ok : ExitCodes.KafkaFailed;
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        });
        return command;
    }

    internal static DateTimeOffset ParseInstant(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }
        result.AddError($"'{text}' is not an ISO 8601 time, e.g. 2026-01-01T00:00:00Z");
        return default;
    }

    private static Dictionary<string, DateTimeOffset> ParseScenarioFrom(ArgumentResult result)
    {
        var from = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var token in result.Tokens)
        {
            var eq = token.Value.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? token.Value : token.Value[..eq];
            if (Array.IndexOf(FraudScenarios.All, name) < 0)
            {
                result.AddError($"--scenario-from: unknown scenario '{name}'; known: {string.Join(", ", FraudScenarios.All)}");
                continue;
            }
            if (eq < 0 || !DateTimeOffset.TryParse(token.Value[(eq + 1)..], CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            {
                result.AddError($"--scenario-from: '{token.Value}' needs NAME=TIME, e.g. {name}=2026-02-01T00:00:00Z");
                continue;
            }
            from[name] = at;
        }
        return from;
    }

    private static Option<int> Positive(Option<int> option)
    {
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() <= 0)
            {
                r.AddError($"{option.Name} must be positive");
            }
        });
        return option;
    }

    private static Option<double> PositiveDouble(Option<double> option)
    {
        option.Validators.Add(r =>
        {
            if (!(r.GetValueOrDefault<double>() > 0))
            {
                r.AddError($"{option.Name} must be positive");
            }
        });
        return option;
    }
}
