using System.CommandLine;
using Fraud.Streaming.Producer.Output;
using Fraud.Streaming.Producer.Publishing;
using Fraud.Streaming.DataSets.Replay;
using Fraud.Streaming.Producer.Replay;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Files;
using Fraud.Streaming.Shared.Kafka;
using Microsoft.Extensions.Logging;

namespace Fraud.Streaming.Producer;

/// <summary><c>replay</c>: a real dataset (IEEE-CIS, PaySim), contract JSONL, or any CSV through a column map, to files or to Kafka.</summary>
internal static class ReplayCommand
{
    public static Command Create(KafkaOptions kafka, ValidationOptions validation, ILoggerFactory loggers)
    {
        var format = new Option<string>("--format") { Description = "ieee-cis, paysim, jsonl, or csv (any layout, with --map)", Required = true };
        format.AcceptOnlyFromAmong("ieee-cis", "paysim", "jsonl", "csv");
        var input = new Option<FileInfo>("--input") { Description = "The dataset file (IEEE-CIS train_transaction.csv, PaySim CSV, JSONL, or a CSV with a header)", Required = true };
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
        var map = new Option<string?>("--map")
        {
            Description = "--format csv: FIELD=COLUMN,... for the contract fields (event_time, card_id, amount required; is_fraud makes labels); other columns go into attributes",
        };
        var constants = new Option<string?>("--const") { Description = "--format csv: FIELD=VALUE,... for fields the data set lacks, e.g. currency=EUR,channel=ecommerce" };
        var timeFormat = new Option<string>("--time-format")
        {
            Description = "--format csv: how event_time reads: iso, epoch-seconds, epoch-millis, offset-seconds (after --start), or a pattern such as \"yyyy-MM-dd HH:mm:ss\" (UTC)",
            DefaultValueFactory = _ => "iso",
        };

        var command = new Command("replay", "Replay a dataset as transactions plus delayed labels")
        {
            format, input, identity, start, onError, limit, outDir, bootstrap, rate, labelDelay, map, constants, timeFormat,
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
            var csv = r.GetValue(format) == "csv";
            if (!csv && (r.GetValue(map) is not null || r.GetValue(constants) is not null || r.GetResult(timeFormat) is { Implicit: false }))
            {
                r.AddError("--map, --const and --time-format only apply to --format csv");
            }
            else if (csv && !CsvColumnMap.TryParse(r.GetValue(map), r.GetValue(constants), out _, out var mapError))
            {
                r.AddError(r.GetValue(map) is null ? "--format csv needs --map FIELD=COLUMN,... (event_time, card_id and amount at least)" : mapError);
            }
            else if (csv && !CsvTimeFormat.TryCreate(r.GetValue(timeFormat)!, default, out _, out var timeError))
            {
                r.AddError(timeError);
            }
        });

        command.SetAction((parse, cancellationToken) =>
        {
            var logger = loggers.CreateLogger("Fraud.Streaming.Producer");
            var replayFormat = parse.GetValue(format) switch
            {
                "ieee-cis" => ReplayFormat.IeeeCis,
                "paysim" => ReplayFormat.PaySim,
                "csv" => ReplayFormat.Csv,
                _ => ReplayFormat.Jsonl,
            };
            CsvColumnMap? columns = null;
            CsvTimeFormat? times = null;
            if (replayFormat == ReplayFormat.Csv)
            {
                // Both parse: the validator above refused the command otherwise.
                CsvColumnMap.TryParse(parse.GetValue(map), parse.GetValue(constants), out columns, out _);
                CsvTimeFormat.TryCreate(parse.GetValue(timeFormat)!, parse.GetValue(start), out times, out _);
            }
            var settings = new ReplaySettings
            {
                Format = replayFormat,
                Input = parse.GetValue(input)!.FullName,
                Identity = parse.GetValue(identity)?.FullName,
                Start = parse.GetValue(start),
                FailOnError = parse.GetValue(onError) == "fail",
                Limit = Math.Max(0, parse.GetValue(limit)),
                CsvMap = columns,
                CsvTime = times,
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
                        var options = kafka.WithBootstrapServers(parse.GetValue(bootstrap));
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
                    catch (InvalidDataException ex)
                    {
                        // A file that cannot be read at all (no header, a mapped column missing): one line, no stack trace.
                        Console.Error.WriteLine($"error: {ex.Message}");
                        return 2;
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        });
        return command;
    }
}
