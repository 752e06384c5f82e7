using System.CommandLine;
using Fraud.Streaming.Producer;
using Fraud.Streaming.Producer.Publishing;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

var configuration = CliConfiguration.Build(args, out var commandArgs);
if ((CliConfiguration.Problem<KafkaOptions>(configuration, KafkaOptions.Section)
     ?? CliConfiguration.Problem<ValidationOptions>(configuration, ValidationOptions.Section)) is { } problem)
{
    await Console.Error.WriteLineAsync($"error: invalid configuration: {problem}");
    return ExitCodes.BadUsage;
}
var kafka = CliConfiguration.Bind<KafkaOptions>(configuration, KafkaOptions.Section);
var validation = CliConfiguration.Bind<ValidationOptions>(configuration, ValidationOptions.Section);

// Logs go to stderr so stdout carries only the one-line summary that scripts parse.
using var loggers = LoggerFactory.Create(b => b
    .AddConfiguration(configuration.GetSection("Logging"))
    .AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.TimestampFormat = "HH:mm:ss ";
    })
    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));

// Spans of every published message, exported over OTLP when the OTEL_* environment asks for it (flushed on exit).
using var tracing = Tracing.StartForCommand("fraud-producer", PublishTracing.Source);

var root = new RootCommand("Fraud.Streaming producer: publishes card transactions and their delayed labels")
{
    SyntheticCommand.Create(kafka, validation, loggers),
    ReplayCommand.Create(kafka, validation, loggers),
};
return await CommandLine.InvokeAsync(root.Parse(commandArgs), Console.Error, new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(20) });
