using System.CommandLine;
using Fraud.Streaming.Producer.Output;
using Fraud.Streaming.Producer.Publishing;
using Fraud.Streaming.Producer.Replay;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Files;
using Fraud.Streaming.Shared.Kafka;
using Microsoft.Extensions.Logging;

namespace Fraud.Streaming.Producer;

/// <summary><c>replay</c>: a real dataset (IEEE-CIS, PaySim) or contract JSONL, to files or to Kafka.</summary>
internal static class ReplayCommand
{
    public static Command Create(KafkaOptions kafka, ValidationOptions validation, ILoggerFactory loggers)
    {
        var format = new Option<string>("--format") { Description = "ieee-cis, paysim or jsonl", Required = true };
        format.AcceptOnlyFromAmong("ieee-cis", "paysim", "jsonl");
        var input = new Option<FileInfo>("--input") { Description = "The dataset file (IEEE-CIS train_transaction.csv, PaySim CSV, or JSONL)", Required = true };
        input.AcceptExistingOnly();
        var identity = new Option<FileInfo>("--identity") { Description = "IEEE-CIS train_identity.csv, joined on TransactionID" };
        identity.AcceptExistingOnly();
        var start = new Option<DateTimeOffset>("--start")
        {
            Description = "Event time of dataset time zero (ISO 8601)",
            DefaultValueFactory = _ => ReplaySettings.DefaultStart,
            CustomParser = SyntheticCommand.ParseInstant,
        };
        var onError = new Option<string>("--on-error") { Description = "skip (report and count malformed rows) or fail (stop at the first)", DefaultValueFactory = _ => "skip" };
        onError.AcceptOnlyFromAmong("skip", "fail");
        var limit = new Option<long>("--limit") { Description = "Replay at most this many transactions (0 = all)", DefaultValueFactory = _ => 0 };
        var outDir = new Option<string?>("--out-dir") { Description = "Write transactions.jsonl and labels.jsonl here instead of publishing" };
        var bootstrap = new Option<string?>("--bootstrap") { Description = $"Kafka bootstrap servers (default Kafka:BootstrapServers, now {kafka.BootstrapServers})" };
        var rate = new Option<double>("--rate") { Description = "Transactions per second when publishing; 0 = as fast as possible", DefaultValueFactory = _ => 0 };
        var labelDelay = new Option<double>("--label-delay-seconds") { Description = "Wall-clock delay between a transaction and its label on the labels topic", DefaultValueFactory = _ => 2 };

        var command = new Command("replay", "Replay a dataset as transactions plus delayed labels")
        {
            format, input, identity, start, onError, limit, outDir, bootstrap, rate, labelDelay,
        };
        var client = new KafkaClientOptions();
        client.AddTo(command);
        command.Validators.Add(r =>
        {
            if (r.GetValue(identity) is not null && r.GetValue(format) != "ieee-cis")
            {
                r.AddError("--identity only applies to --format ieee-cis");
            }
            if (r.GetValue(rate) < 0)
            {
                r.AddError("--rate must not be negative");
            }
        });

        command.SetAction((parse, cancellationToken) =>
        {
            var logger = loggers.CreateLogger("Fraud.Streaming.Producer");
            var settings = new ReplaySettings
            {
                Format = parse.GetValue(format) switch { "ieee-cis" => ReplayFormat.IeeeCis, "paysim" => ReplayFormat.PaySim, _ => ReplayFormat.Jsonl },
                Input = parse.GetValue(input)!.FullName,
                Identity = parse.GetValue(identity)?.FullName,
                Start = parse.GetValue(start),
                FailOnError = parse.GetValue(onError) == "fail",
                Limit = Math.Max(0, parse.GetValue(limit)),
                MaxFutureSkew = validation.MaxFutureSkew,
            };
            var source = new ReplaySource(settings, e => ProducerLog.MalformedRow(logger, e.File, e.Line, e.Reason));
            var directory = parse.GetValue(outDir);
            var problem = directory is null ? null : CliPaths.OutputDirectory(directory, "--out-dir",
                [SyntheticFileExport.TransactionsFile, SyntheticFileExport.LabelsFile], ("--input", settings.Input), ("--identity", settings.Identity));
            if (problem is not null)
            {
                Console.Error.WriteLine($"error: {problem}");
                return Task.FromResult(ExitCodes.BadUsage);
            }
            return Task.Factory.StartNew(
                () =>
                {
                    try
                    {
                        if (directory is not null)
                        {
                            var summary = ReplayFileExport.Run(source, directory, cancellationToken);
                            Console.Out.WriteLine(summary.ToString());
                            return ExitCodes.Ok;
                        }
                        var options = new KafkaOptions
                        {
                            BootstrapServers = parse.GetValue(bootstrap) ?? kafka.BootstrapServers,
                            TransactionsTopic = kafka.TransactionsTopic,
                            LabelsTopic = kafka.LabelsTopic,
                        };
                        var publish = new PublishSettings
                        {
                            Rate = parse.GetValue(rate),
                            LabelDelay = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(labelDelay))),
                            LingerMs = parse.GetValue(client.Linger),
                            Compression = parse.GetValue(client.Compression),
                            BatchSize = parse.GetValue(client.BatchSize),
                        };
                        var (replayed, counters) = new ReplayPublisher(options, logger).Run(source, publish, cancellationToken);
                        Console.Out.WriteLine($"{replayed} {counters.Summary()}");
                        return counters.AllDelivered ? ExitCodes.Ok : ExitCodes.KafkaFailed;
                    }
                    catch (ReplayFailedException ex)
                    {
                        Console.Error.WriteLine($"replay stopped at a malformed row (--on-error fail): {ex.Error}");
                        return ExitCodes.BadInput;
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        });
        return command;
    }
}
