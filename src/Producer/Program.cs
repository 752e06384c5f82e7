using System.CommandLine;
using Fraud.Streaming.Producer;
using Fraud.Streaming.Shared.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

var configuration = new ConfigurationBuilder()
    .SetBasePath(AppContext.BaseDirectory)
    .AddJsonFile("appsettings.json", optional: true)
    .AddEnvironmentVariables()
    .Build();
var kafka = configuration.GetSection(KafkaOptions.Section).Get<KafkaOptions>() ?? new KafkaOptions();

// Logs go to stderr so stdout carries only the one-line summary that scripts parse.
using var loggers = LoggerFactory.Create(b => b
    .AddConfiguration(configuration.GetSection("Logging"))
    .AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.TimestampFormat = "HH:mm:ss ";
    })
    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));

var root = new RootCommand("Fraud.Streaming producer: publishes card transactions and their delayed labels")
{
    SyntheticCommand.Create(kafka, loggers),
    ReplayCommand.Create(kafka, loggers),
};
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(20) });
