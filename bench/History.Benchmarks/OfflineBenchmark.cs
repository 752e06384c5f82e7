using System.Diagnostics;
using System.Globalization;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Postgres;
using Fraud.Streaming.Trainer;
using Fraud.Streaming.Trainer.History;
using Fraud.Streaming.Trainer.Training;
using Npgsql;
using NpgsqlTypes;

namespace Fraud.Streaming.History.Benchmarks;

/// <summary>
/// Times each stage of the offline path over the history in Postgres, with the CPU seconds the client process
/// and the Postgres backend serving it spent (the server runs on the same cores, so both count).
/// </summary>
internal static class OfflineBenchmark
{
    public static async Task RunAsync(string connectionString, int repeat, string? only)
    {
        SchemaMigrator.Apply(connectionString); // as the trainer does at start: the history-order index
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 30, CommandTimeout = 0 };
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        var backend = await ScalarAsync<int>(dataSource, "SELECT pg_backend_pid()");
        var rows = await ScalarAsync<long>(dataSource, "SELECT count(*) FROM transactions");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# {rows} history rows; cores={Environment.ProcessorCount}; {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}; backend pid {backend}"));
        Console.WriteLine(await PlanAsync(dataSource, PostgresHistorySource.TransactionsQuery));
        Console.WriteLine($"# server: psql -c '{PostgresHistorySource.TransactionsQuery.ReplaceLineEndings(" ")}' > /dev/null");
        Console.WriteLine("stage | seconds | rows/s | client cpu s | server cpu s");

        // The client's share on one core, without the server or the driver: the COPY bytes captured once
        // (only when that stage runs, so a profile of another stage does not include the capture).
        (byte[] Copy, LabelIndex Labels)? capture = null;
        var stages = new (string Name, Func<Task<long>> Run)[]
        {
            ("server: COPY labels, bytes discarded", () => DrainAsync(dataSource, PostgresHistorySource.LabelsQuery)),
            ("server: COPY transactions, bytes discarded", () => DrainAsync(dataSource, PostgresHistorySource.TransactionsQuery)),
            ("client only: captured COPY bytes in memory + labels + features table", () => Task.FromResult(ClientOnly(capture!.Value.Copy, capture.Value.Labels))),
            ("client only parse: captured COPY bytes in memory, no labels, no features", () => Task.FromResult(ClientOnlyParse(capture!.Value.Copy))),
            ("client only features: captured COPY bytes in memory + features, no labels", () => Task.FromResult(ClientOnlyFeatures(capture!.Value.Copy))),
            ("parse only: history with labels, no features", () => ParseOnlyAsync(dataSource)),
            ("before: Npgsql exporter per column + features table", () => ExporterAsync(dataSource)),
            ("train path: history with labels + features table", () => TrainPathAsync(dataSource)),
            ("features path: history + features, no output", () => FeaturesOnlyAsync(dataSource)),
            ("trainer features: history + features + JSONL file", () => FeaturesJobAsync(connectionString)),
        };
        var selected = stages.Where(s => only is null || s.Name.Contains(only, StringComparison.Ordinal)).ToList();
        if (selected.Any(s => s.Name.StartsWith("client only", StringComparison.Ordinal)))
        {
            capture = await CaptureAsync(dataSource);
        }
        foreach (var (name, run) in selected)
        {
            for (var i = 0; i < repeat; i++)
            {
                GC.Collect();
                var serverBefore = ServerCpuSeconds(backend);
                var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var (gc0, gc1, gc2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
                var clock = Stopwatch.StartNew();
                var count = await run();
                var seconds = clock.Elapsed.TotalSeconds;
                var client = (Process.GetCurrentProcess().TotalProcessorTime - clientBefore).TotalSeconds;
                var server = ServerCpuSeconds(backend) - serverBefore;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name} | {seconds:F2} | {(count < 0 ? "-" : (count / seconds).ToString("N0", CultureInfo.InvariantCulture))} | {client:F2} | {server:F2} | gc {GC.CollectionCount(0) - gc0}/{GC.CollectionCount(1) - gc1}/{GC.CollectionCount(2) - gc2}"));
            }
        }
    }

    private static async Task<long> DrainAsync(NpgsqlDataSource dataSource, string query)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var copy = await connection.BeginRawBinaryCopyAsync(query);
        var buffer = new byte[1 << 20];
        long bytes = 0;
        int read;
        long calls = 0;
        while ((read = copy.Read(buffer)) > 0)
        {
            bytes += read;
            calls++;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {bytes} bytes in {calls} reads"));
        return -1;
    }

    private static async Task<(byte[] Copy, LabelIndex Labels)> CaptureAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var labels = await PostgresHistorySource.ReadLabelsAsync(connection, CancellationToken.None);
        await using var copy = await connection.BeginRawBinaryCopyAsync(PostgresHistorySource.TransactionsQuery);
        using var bytes = new MemoryStream();
        await copy.CopyToAsync(bytes);
        return (bytes.ToArray(), labels);
    }

    private static long ClientOnly(byte[] captured, LabelIndex labels)
    {
        var builder = new FeatureTableBuilder(CardFeatureExtractor.Spec);
        foreach (var batch in PostgresHistorySource.Parse(new MemoryStream(captured, writable: false), labels, CancellationToken.None))
        {
            builder.Add(batch);
        }
        return builder.Build().RowCount > 0 ? builder.TransactionCount : 0;
    }

    private static long ClientOnlyParse(byte[] captured)
    {
        long rows = 0;
        foreach (var batch in PostgresHistorySource.Parse(new MemoryStream(captured, writable: false), null, CancellationToken.None))
        {
            rows += batch.Count;
        }
        return rows;
    }

    private static long ClientOnlyFeatures(byte[] captured)
    {
        var pipeline = new PointInTimeFeatures(CardFeatureExtractor.Spec);
        var checksum = 0f;
        foreach (var batch in PostgresHistorySource.Parse(new MemoryStream(captured, writable: false), null, CancellationToken.None))
        {
            for (var row = 0; row < batch.Count; row++)
            {
                checksum += pipeline.Next(batch, row)[0];
            }
        }
        return float.IsNaN(checksum) ? 0 : pipeline.TransactionCount;
    }

    private static async Task<long> ParseOnlyAsync(NpgsqlDataSource dataSource)
    {
        long count = 0;
        await foreach (var batch in new PostgresHistorySource(dataSource).ReadAsync(CancellationToken.None))
        {
            count += batch.Count;
        }
        return count;
    }

    private static async Task<long> TrainPathAsync(NpgsqlDataSource dataSource)
    {
        var builder = new FeatureTableBuilder(CardFeatureExtractor.Spec);
        await foreach (var batch in new PostgresHistorySource(dataSource).ReadAsync(CancellationToken.None))
        {
            builder.Add(batch);
        }
        return builder.Build().RowCount > 0 ? builder.TransactionCount : 0;
    }

    private static async Task<long> FeaturesOnlyAsync(NpgsqlDataSource dataSource)
    {
        var pipeline = new PointInTimeFeatures(CardFeatureExtractor.Spec);
        var checksum = 0f;
        await foreach (var batch in new PostgresHistorySource(dataSource, withLabels: false).ReadAsync(CancellationToken.None))
        {
            for (var row = 0; row < batch.Count; row++)
            {
                checksum += pipeline.Next(batch, row)[0];
            }
        }
        return float.IsNaN(checksum) ? 0 : pipeline.TransactionCount;
    }

    private static async Task<long> FeaturesJobAsync(string connectionString)
    {
        var path = Path.Combine(Path.GetTempPath(), $"offline-features-{Environment.ProcessId}.jsonl");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await new FeaturesJob(null, null, connectionString, path, output, error, FeatureSpec.CardEntityV1).RunAsync(CancellationToken.None);
        File.Delete(path);
        if (code != 0)
        {
            throw new InvalidOperationException($"trainer features failed: {error}");
        }
        var text = output.ToString();
        var start = text.IndexOf("transactions=", StringComparison.Ordinal) + "transactions=".Length;
        return long.Parse(text.AsSpan(start, text.IndexOf(' ', start) - start), CultureInfo.InvariantCulture);
    }

    // The trainer's reader before this harness existed: labels joined in the query, Npgsql's typed exporter, one
    // awaited call per column.
    private const string ExporterQuery = """
        COPY (
            SELECT t.transaction_id, t.card_id, t.event_time, t.merchant_id, t.merchant_category, t.amount,
                   t.currency, t.country, t.channel, t.device_id, l.is_fraud
            FROM transactions t
            LEFT JOIN labels l ON l.transaction_id = t.transaction_id
            ORDER BY t.event_time, t.transaction_id COLLATE "C"
        ) TO STDOUT (FORMAT BINARY)
        """;

    private static async Task<long> ExporterAsync(NpgsqlDataSource dataSource)
    {
        var builder = new FeatureTableBuilder(CardFeatureExtractor.Spec);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var reader = await connection.BeginBinaryExportAsync(ExporterQuery);
        while (await reader.StartRowAsync() != -1)
        {
            var transaction = new Transaction
            {
                TransactionId = await reader.ReadAsync<string>(NpgsqlDbType.Text),
                CardId = await reader.ReadAsync<string>(NpgsqlDbType.Text),
                EventTime = new DateTimeOffset(await reader.ReadAsync<DateTime>(NpgsqlDbType.TimestampTz)),
                MerchantId = await reader.ReadAsync<string>(NpgsqlDbType.Text),
                MerchantCategory = await reader.ReadAsync<string>(NpgsqlDbType.Text),
                Amount = await reader.ReadAsync<double>(NpgsqlDbType.Double),
                Currency = await reader.ReadAsync<string>(NpgsqlDbType.Text),
                Country = await reader.ReadAsync<string>(NpgsqlDbType.Text),
                Channel = await reader.ReadAsync<string>(NpgsqlDbType.Text),
                DeviceId = reader.IsNull ? null : await reader.ReadAsync<string>(NpgsqlDbType.Text),
            };
            if (transaction.DeviceId is null)
            {
                await reader.SkipAsync();
            }
            bool? isFraud = reader.IsNull ? null : await reader.ReadAsync<bool>(NpgsqlDbType.Boolean);
            if (isFraud is null)
            {
                await reader.SkipAsync();
            }
            builder.Add(HistoryRow.Of(transaction, isFraud));
        }
        return builder.TransactionCount;
    }

    private static async Task<string> PlanAsync(NpgsqlDataSource dataSource, string copy)
    {
        var select = copy[(copy.IndexOf('(', StringComparison.Ordinal) + 1)..copy.LastIndexOf(") TO STDOUT", StringComparison.Ordinal)];
        await using var command = dataSource.CreateCommand("EXPLAIN (COSTS OFF) " + select);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add("# plan: " + reader.GetString(0));
        }
        return string.Join('\n', lines);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    // CPU of the whole local cluster, from /proc: the postmaster (with its reaped children, such as parallel
    // workers) plus every live child process (the backend serving the COPY, background writers).
    private static double ServerCpuSeconds(int backend)
    {
        var postmaster = Stat(backend) is { } b ? int.Parse(b[1], CultureInfo.InvariantCulture) : -1;
        if (Stat(postmaster) is not { } master)
        {
            return double.NaN;
        }
        var ticks = Ticks(master, 11) + Ticks(master, 12) + Ticks(master, 13) + Ticks(master, 14);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid) && Stat(pid) is { } child
                && int.Parse(child[1], CultureInfo.InvariantCulture) == postmaster)
            {
                ticks += Ticks(child, 11) + Ticks(child, 12);
            }
        }
        return ticks / 100d;
    }

    private static long Ticks(string[] stat, int field) => long.Parse(stat[field], CultureInfo.InvariantCulture);

    // The fields of /proc/PID/stat after the command name: [0] state, [1] ppid, ... [11] utime, [12] stime, [13] cutime, [14] cstime.
    private static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }
}
