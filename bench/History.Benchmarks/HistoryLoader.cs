using System.Diagnostics;
using System.Globalization;
using Fraud.Streaming.Shared.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace Fraud.Streaming.History.Benchmarks;

/// <summary>
/// Fills the Monitoring tables with a synthetic history in arrival (event-time) order, as Monitoring writes it:
/// ties, bursts and gaps, missing devices, a long tail of merchants, 80% of transactions labelled.
/// </summary>
internal static class HistoryLoader
{
    private static readonly string[] Countries = ["US", "GB", "DE", "FR", "BR", "NG", "RU"];
    private static readonly string[] Channels = ["pos", "contactless", "online", "ecom", "atm", "moto"];
    private static readonly string[] Categories = ["grocery", "restaurant", "fuel", "electronics", "jewelry", "digital_goods", "travel", "5411", "7995"];

    public static async Task LoadAsync(string connectionString, int rows, int cards)
    {
        SchemaMigrator.Apply(connectionString);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        var clock = Stopwatch.StartNew();
        await using (var truncate = new NpgsqlCommand("TRUNCATE transactions, labels", connection))
        {
            await truncate.ExecuteNonQueryAsync();
        }
        var random = new Random(42);
        var time = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var labelled = new List<(string Id, string Card, bool Fraud, DateTime At)>(rows);
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY transactions (transaction_id, card_id, event_time, merchant_id, merchant_category, amount, currency, country, channel, device_id, ip, email_domain) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < rows; i++)
            {
                // About 1.4 M transactions a day; a quarter share their millisecond with the previous one.
                time = time.AddMilliseconds(random.Next(4) == 0 ? 0 : random.Next(1, 120));
                var card = random.Next(cards);
                var id = string.Create(CultureInfo.InvariantCulture, $"tx-{random.Next(1_000_000):D6}-{i:D8}");
                var small = random.Next(8) == 0;
                await importer.StartRowAsync();
                await importer.WriteAsync(id, NpgsqlDbType.Text);
                await importer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"card-{card:D7}"), NpgsqlDbType.Text);
                await importer.WriteAsync(time, NpgsqlDbType.TimestampTz);
                await importer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"m-{(int)Math.Pow(random.NextDouble(), 3) * 20_000}"), NpgsqlDbType.Text);
                await importer.WriteAsync(Categories[random.Next(Categories.Length)], NpgsqlDbType.Text);
                await importer.WriteAsync(small ? Math.Round(0.5 + (random.NextDouble() * 4), 2) : Math.Round(Math.Exp(random.NextDouble() * 8), 2), NpgsqlDbType.Double);
                await importer.WriteAsync("USD", NpgsqlDbType.Text);
                await importer.WriteAsync(Countries[random.Next(random.Next(3) == 0 ? Countries.Length : 2)], NpgsqlDbType.Text);
                await importer.WriteAsync(Channels[random.Next(Channels.Length)], NpgsqlDbType.Text);
                if (random.Next(5) == 0)
                {
                    await importer.WriteNullAsync();
                }
                else
                {
                    await importer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"dev-{card}-{random.Next(3)}"), NpgsqlDbType.Text);
                }
                await importer.WriteAsync("198.51.100.7", NpgsqlDbType.Text);
                await importer.WriteAsync("example.com", NpgsqlDbType.Text);
                if (random.Next(5) != 0)
                {
                    labelled.Add((id, string.Create(CultureInfo.InvariantCulture, $"card-{card:D7}"), random.Next(100) == 0, time.AddDays(30)));
                }
            }
            await importer.CompleteAsync();
        }
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY labels (transaction_id, card_id, is_fraud, labelled_at, source) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (id, card, fraud, at) in labelled)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(id, NpgsqlDbType.Text);
                await importer.WriteAsync(card, NpgsqlDbType.Text);
                await importer.WriteAsync(fraud, NpgsqlDbType.Boolean);
                await importer.WriteAsync(at, NpgsqlDbType.TimestampTz);
                await importer.WriteAsync("chargeback", NpgsqlDbType.Text);
            }
            await importer.CompleteAsync();
        }
        foreach (var table in new[] { "transactions", "labels" })
        {
            await using var vacuum = new NpgsqlCommand($"VACUUM ANALYZE {table}", connection);
            await vacuum.ExecuteNonQueryAsync();
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"loaded {rows} transactions ({labelled.Count} labelled, {cards} cards) in {clock.Elapsed.TotalSeconds:F1} s"));
    }
}
