using System.CommandLine;
using System.Runtime.InteropServices;
using Fraud.Streaming.DevKafka;
using Fraud.Streaming.DevKafka.Native;

LibRdKafka.InstallResolver();

var brokers = new Option<int>("--brokers") { Description = "number of mock brokers", DefaultValueFactory = _ => 3 };
var port = new Option<int>("--port") { Description = "first fixed port; broker N listens on port+N-1", DefaultValueFactory = _ => 9092 };
var partitions = new Option<int>("--partitions")
{
    Description = "partitions of fraud.transactions, fraud.verdicts and fraud.labels",
    DefaultValueFactory = _ => 12,
};
var bootstrapFile = new Option<string?>("--bootstrap-file") { Description = "file to write the bootstrap servers to once ready (removed on exit)" };
var topics = new Option<string[]>("--topic")
{
    Description = "extra topic to create, NAME:PARTITIONS (repeatable; also overrides a default topic's partitions)",
    AllowMultipleArgumentsPerToken = false,
};
var verbose = new Option<bool>("--verbose") { Description = "log broker mapping, topics and librdkafka notices" };

brokers.Validators.Add(r =>
{
    if (r.GetValueOrDefault<int>() is < 1 or > 32)
    {
        r.AddError("--brokers must be between 1 and 32");
    }
});
partitions.Validators.Add(r =>
{
    if (r.GetValueOrDefault<int>() < 1)
    {
        r.AddError("--partitions must be positive");
    }
});
topics.Validators.Add(r =>
{
    foreach (var text in r.GetValueOrDefault<string[]>() ?? [])
    {
        if (!TopicSpec.TryParse(text, out _, out var error))
        {
            r.AddError($"--topic {error}");
        }
    }
});

var root = new RootCommand("Hosts librdkafka's mock Kafka cluster on fixed loopback ports (127.0.0.1:PORT..PORT+BROKERS-1).")
{
    brokers, port, partitions, bootstrapFile, topics, verbose,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var first = parse.GetValue(port);
    var count = parse.GetValue(brokers);
    if (first < 1 || first + count - 1 > 65535)
    {
        await Console.Error.WriteLineAsync($"DevKafka: --port {first} with {count} brokers does not fit in 1..65535");
        return 2;
    }

    var extra = (parse.GetValue(topics) ?? []).Select(t =>
    {
        TopicSpec.TryParse(t, out var spec, out var _);
        return spec!;
    });
    var settings = new DevKafkaSettings(
        count,
        first,
        DevKafkaSettings.DefaultTopics(parse.GetValue(partitions), extra),
        parse.GetValue(bootstrapFile),
        parse.GetValue(verbose));

    // Our own signal handling, so SIGTERM and SIGINT both lead to an orderly teardown of cluster and listeners.
    using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        stop.Cancel();
    }

    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
    return await DevKafkaHost.RunAsync(settings, stop.Token);
});

return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
