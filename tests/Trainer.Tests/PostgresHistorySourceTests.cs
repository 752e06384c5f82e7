using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Testing;
using Fraud.Streaming.Trainer.History;
using Npgsql;
using NpgsqlTypes;

namespace Fraud.Streaming.Trainer.Tests;

/// <summary>The Postgres history source against a real server: order, ties, labels, NULLs and non-ASCII text.</summary>
public sealed class PostgresHistorySourceTests
{
    [PostgresFact]
    public async Task Reads_every_transaction_in_history_order_with_its_label()
    {
        await using var db = await PostgresTestDatabase.CreateAsync();
        await using var dataSource = await PostgresAccess.OpenAsync(db.ConnectionString, CancellationToken.None);
        var (generated, labels) = SyntheticHistory.Generate(seed: 9, cards: 40, transactionsPerCard: 30);
        // Postgres keeps microseconds.
        var transactions = generated.Select(t => t with { EventTime = new DateTimeOffset(t.EventTime.UtcTicks / 10 * 10, TimeSpan.Zero) }).ToList();
        // Ties on event time whose ids sort differently by bytes than by a linguistic collation.
        var tie = transactions[0].EventTime;
        transactions.AddRange(new[] { "tie-B", "tie-a", "tie-_", "tie-é" }.Select((id, i) => transactions[i] with
        {
            TransactionId = id,
            EventTime = tie,
            MerchantId = "Café ☕ Zürich",
            DeviceId = i % 2 == 0 ? null : "dévice",
        }));
        await InsertAsync(dataSource, transactions, labels);

        var read = await ReadAllAsync(new PostgresHistorySource(dataSource));

        var expected = transactions.OrderBy(t => t, Comparer<Transaction>.Create(HistoryOrder.Compare)).ToList();
        var labelOf = labels.ToDictionary(l => l.TransactionId, l => l.IsFraud);
        Assert.Equal(expected.Count, read.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            // What the features read, reduced from the COPY bytes, equals what the scorer reduces from the strings.
            Assert.Equal((e.TransactionId, e.EventTime.UtcTicks, FeatureInput.Of(e)), (read[i].Id, read[i].Ticks, read[i].Input));
            Assert.Equal(labelOf.TryGetValue(e.TransactionId, out var isFraud) ? isFraud : null, read[i].Label);
        }
        Assert.Contains(read, r => r.Label is null);
        Assert.Contains(read, r => r.Label == true);

        var unlabelled = await ReadAllAsync(new PostgresHistorySource(dataSource, withLabels: false));
        Assert.Equal(read.Select(r => (r.Id, r.Ticks, r.Input)), unlabelled.Select(r => (r.Id, r.Ticks, r.Input)));
        Assert.All(unlabelled, r => Assert.Null(r.Label));
    }

    [PostgresFact]
    public async Task Training_as_of_an_instant_reads_the_same_rows_from_postgres_as_from_files()
    {
        await using var db = await PostgresTestDatabase.CreateAsync();
        await using var dataSource = await PostgresAccess.OpenAsync(db.ConnectionString, CancellationToken.None);
        var (generated, labels) = SyntheticHistory.Generate(seed: 12, cards: 60, transactionsPerCard: 40);
        var transactions = generated.Select(t => t with { EventTime = new DateTimeOffset(t.EventTime.UtcTicks / 10 * 10, TimeSpan.Zero) }).ToList();
        labels = labels.Select(l => l with { LabelledAt = new DateTimeOffset(l.LabelledAt.UtcTicks / 10 * 10, TimeSpan.Zero) }).ToList();
        // Some frauds are reported a second time later, and some are found genuine by a review after their report:
        // Postgres keeps the latest label and the earliest report, the files keep every label.
        var later = labels.Where((l, i) => l.IsFraud && i % 3 == 0).Select((l, i) => l with
        {
            IsFraud = i % 2 == 0,
            LabelledAt = l.LabelledAt.AddDays(3),
            Source = i % 2 == 0 ? "chargeback" : "review",
        }).ToList();
        var files = Directory.CreateTempSubdirectory("trainer-as-of-");
        try
        {
            var tx = Path.Combine(files.FullName, "tx.jsonl");
            var lb = Path.Combine(files.FullName, "labels.jsonl");
            SyntheticHistory.WriteJsonl(tx, lb, transactions, labels.Concat(later));
            await InsertAsync(dataSource, transactions, []);
            await InsertLabelsAsync(dataSource, labels.Concat(later));

            var asOf = transactions.Min(t => t.EventTime).AddDays(45);
            var spec = FeatureSpec.CardEntityV1;
            var fromFiles = await Training.TrainingData.ReadAsync(new JsonlHistorySource(tx, lb), spec, asOf, 20, CancellationToken.None);
            var fromPostgres = await Training.TrainingData.ReadAsync(new PostgresHistorySource(dataSource), spec, asOf, 20, CancellationToken.None);

            Assert.True(fromFiles.All.RowCount > 300, $"{fromFiles.All.RowCount} rows");
            Assert.True(fromFiles.All.FraudCount > 5, $"{fromFiles.All.FraudCount} fraud");
            Assert.True(fromFiles.Unmatured > 0);
            Assert.Equal((fromFiles.Transactions, fromFiles.Unmatured, fromFiles.AsOf), (fromPostgres.Transactions, fromPostgres.Unmatured, fromPostgres.AsOf));
            Assert.Equal(fromFiles.All.TransactionIds, fromPostgres.All.TransactionIds);
            Assert.Equal(fromFiles.All.Labels, fromPostgres.All.Labels);
            Assert.Equal(fromFiles.All.Features.Select(BitConverter.SingleToInt32Bits), fromPostgres.All.Features.Select(BitConverter.SingleToInt32Bits));
            Assert.All(fromFiles.All.EventTimes, t => Assert.True(t <= asOf.AddDays(-20)));
        }
        finally
        {
            files.Delete(recursive: true);
        }
    }

    /// <summary>Labels as Monitoring keeps them: the latest per transaction, and its earliest fraud report.</summary>
    private static async Task InsertLabelsAsync(NpgsqlDataSource dataSource, IEnumerable<Label> labels)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY labels (transaction_id, card_id, is_fraud, labelled_at, source, first_fraud_at) FROM STDIN (FORMAT BINARY)");
        foreach (var group in labels.GroupBy(l => l.TransactionId))
        {
            var latest = group.MaxBy(l => l.LabelledAt)!;
            var firstFraud = group.Where(l => l.IsFraud).Select(l => (DateTimeOffset?)l.LabelledAt).Min();
            await importer.StartRowAsync();
            await importer.WriteAsync(latest.TransactionId, NpgsqlDbType.Text);
            await importer.WriteAsync(latest.CardId, NpgsqlDbType.Text);
            await importer.WriteAsync(latest.IsFraud, NpgsqlDbType.Boolean);
            await importer.WriteAsync(latest.LabelledAt.UtcDateTime, NpgsqlDbType.TimestampTz);
            await importer.WriteAsync(latest.Source, NpgsqlDbType.Text);
            if (firstFraud is { } at)
            {
                await importer.WriteAsync(at.UtcDateTime, NpgsqlDbType.TimestampTz);
            }
            else
            {
                await importer.WriteNullAsync();
            }
        }
        await importer.CompleteAsync();
    }

    private static async Task<List<(string Id, long Ticks, FeatureInput Input, bool? Label)>> ReadAllAsync(IHistorySource source)
    {
        var rows = new List<(string, long, FeatureInput, bool?)>();
        await foreach (var batch in source.ReadAsync(CancellationToken.None))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                rows.Add((batch.IdString(i), batch.EventTicks(i), batch.Input(i), batch.Label(i)));
            }
        }
        return rows;
    }

    [PostgresFact]
    public async Task The_history_query_walks_the_history_order_index_instead_of_sorting()
    {
        await using var db = await PostgresTestDatabase.CreateAsync();
        await using var dataSource = await PostgresAccess.OpenAsync(db.ConnectionString, CancellationToken.None);
        var (transactions, _) = SyntheticHistory.Generate(seed: 2, cards: 200, transactionsPerCard: 50);
        await InsertAsync(dataSource, transactions, []);
        await using (var analyze = dataSource.CreateCommand("ANALYZE transactions"))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        // A table this small is cheaper to sort than to walk by index, so the planner is told to avoid sequential
        // scans: what is tested is that the index has exactly the query's order (column order and COLLATE "C"),
        // so no Sort node is needed on top of it. (On the benchmark's 2 M rows the planner picks it by itself.)
        var query = PostgresHistorySource.TransactionsQuery;
        var select = query[(query.IndexOf('(', StringComparison.Ordinal) + 1)..query.LastIndexOf(") TO STDOUT", StringComparison.Ordinal)];
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var noSeqScan = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await noSeqScan.ExecuteNonQueryAsync();
        }
        await using var explain = new NpgsqlCommand("EXPLAIN (COSTS OFF) " + select, connection);
        var plan = string.Join('\n', await ReadAllAsync(explain));

        Assert.Contains("Index Scan using transactions_history_order_idx", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Sort", plan, StringComparison.Ordinal);
    }

    private static async Task<List<string>> ReadAllAsync(NpgsqlCommand command)
    {
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }
        return lines;
    }

    private static async Task InsertAsync(NpgsqlDataSource dataSource, List<Transaction> transactions, List<Label> labels)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY transactions (transaction_id, card_id, event_time, merchant_id, merchant_category, amount, currency, country, channel, device_id) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var t in transactions)
            {
                await importer.WriteRowAsync(default, t.TransactionId, t.CardId, t.EventTime.UtcDateTime, t.MerchantId, t.MerchantCategory, t.Amount,
                    t.Currency, t.Country, t.Channel, (object?)t.DeviceId ?? DBNull.Value);
            }
            await importer.CompleteAsync();
        }
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY labels (transaction_id, card_id, is_fraud, labelled_at, source) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var l in labels)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(l.TransactionId, NpgsqlDbType.Text);
                await importer.WriteAsync(l.CardId, NpgsqlDbType.Text);
                await importer.WriteAsync(l.IsFraud, NpgsqlDbType.Boolean);
                await importer.WriteAsync(l.LabelledAt.UtcDateTime, NpgsqlDbType.TimestampTz);
                await importer.WriteAsync(l.Source, NpgsqlDbType.Text);
            }
            await importer.CompleteAsync();
        }
    }
}
