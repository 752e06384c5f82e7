using System.CommandLine;
using Confluent.Kafka;

namespace Fraud.Streaming.Producer;

/// <summary>The producer-tuning options both <c>synthetic</c> and <c>replay</c> accept.</summary>
internal sealed class KafkaClientOptions
{
    public Option<CompressionType> Compression { get; } = new("--compression")
    {
        Description = "Record-batch compression: none, gzip, snappy, lz4 or zstd",
        DefaultValueFactory = _ => CompressionType.Lz4,
    };

    public Option<int> BatchSize { get; } = new("--batch-size")
    {
        Description = "Largest record batch in bytes (batch.size)",
        DefaultValueFactory = _ => 1_000_000,
    };

    public Option<double> Linger { get; } = new("--linger-ms")
    {
        Description = "Producer batching delay (linger.ms); larger gives fewer, bigger batches",
        DefaultValueFactory = _ => 5,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Compression);
        command.Options.Add(BatchSize);
        command.Options.Add(Linger);
        Linger.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0 or > 60_000)
            {
                r.AddError("--linger-ms must lie in [0, 60000]");
            }
        });
        BatchSize.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1_000 or > 100_000_000)
            {
                r.AddError("--batch-size must lie in [1000, 100000000] bytes");
            }
        });
    }
}
