using System.Text;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Postgres;
using Fraud.Streaming.Testing;
using Npgsql;

namespace Fraud.Streaming.Trainer.Tests;

/// <summary>
/// History the contract refuses — an amount whose features overflow float32, a time far in the future, a malformed or
/// repeated line — costs only itself: the run trains on the rest and says what it left out, instead of failing after
/// the whole training.
/// </summary>
public sealed class HistoryPoisonTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("history-poison-").FullName;

    [PostgresFact]
    public async Task Rows_beyond_the_contract_in_postgres_are_left_out_and_the_trainer_process_still_trains()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        SchemaMigrator.Apply(database.ConnectionString);
        var (transactions, labels) = SyntheticHistory.Generate(seed: 5, cards: 200, transactionsPerCard: 12);
        // Written straight to the table, as a row from before the contract's bounds: Monitoring now refuses both.
        // In the middle of the history, so it falls in the rows trained on.
        var middle = transactions.OrderBy(t => t.EventTime).ElementAt(transactions.Count / 2);
        transactions.Add(middle with { TransactionId = "poison-amount", Amount = 1e300 });
        transactions.Add(middle with { TransactionId = "poison-future", EventTime = new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        labels.Add(new Label { TransactionId = "poison-amount", CardId = middle.CardId, IsFraud = true, LabelledAt = middle.EventTime, Source = "chargeback" });
        await CopyAsync(database.ConnectionString, transactions, labels);

        await using var trainer = ProcessRunner.StartDotnet(RepoPaths.BuiltAssembly("src/Trainer", "Fraud.Streaming.Trainer"),
            ["train", "--pg", database.ConnectionString, "--out", Path.Combine(_dir, "out"), "--no-register", "--rounds", "10", "--device", "cpu"],
            new Dictionary<string, string?> { ["DOTNET_gcServer"] = "0" });
        var code = await trainer.WaitForExitAsync(TimeSpan.FromMinutes(3));

        Assert.True(code == ExitCodes.Ok, trainer.Output);
        Assert.Contains(trainer.Lines, l => l.Text.Contains("2 history rows refused by the contract", StringComparison.Ordinal)
            && l.Text.Contains("poison-amount", StringComparison.Ordinal) && l.Text.Contains("poison-future", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_dir, "out", "model.onnx")));
    }

    [Fact]
    public async Task Refused_lines_in_history_files_are_reported_and_the_rest_trained_on()
    {
        var (transactions, labels) = SyntheticHistory.Generate(seed: 6, cards: 150, transactionsPerCard: 10);
        var tx = Path.Combine(_dir, "tx.jsonl");
        var lb = Path.Combine(_dir, "labels.jsonl");
        SyntheticHistory.WriteJsonl(tx, lb, transactions, labels);
        // A byte-order mark, a malformed line, a repeated id and a label dated 9999.
        File.WriteAllBytes(tx, [.. Encoding.UTF8.GetPreamble(), .. File.ReadAllBytes(tx), .. "{not json\n"u8,
            .. ContractJson.Serialize(transactions[0] with { Amount = 5 }), .. "\n"u8]);
        File.AppendAllText(lb, Encoding.UTF8.GetString(ContractJson.Serialize(labels[0] with { LabelledAt = new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero) })) + "\n");

        var (code, output, error) = await TrainerCliRun.RunAsync("train", "--transactions", tx, "--labels", lb, "--out", Path.Combine(_dir, "out"),
            "--no-register", "--rounds", "10");

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("3 history rows refused by the contract", output, StringComparison.Ordinal);
        Assert.Contains($"{transactions.Count} transactions", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Features_output_equal_to_its_input_is_refused_and_the_input_kept()
    {
        var tx = Path.Combine(_dir, "tx.jsonl");
        File.WriteAllText(tx, "{}\n");
        var (code, _, error) = await TrainerCliRun.RunAsync("features", "--transactions", tx, "--out", tx);
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("same file as --transactions", error, StringComparison.Ordinal);
        Assert.Equal("{}\n", File.ReadAllText(tx));
    }

    private static async Task CopyAsync(string connectionString, List<Transaction> transactions, List<Label> labels)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY transactions (transaction_id, card_id, event_time, merchant_id, merchant_category, amount, currency, country, channel, device_id) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var t in transactions)
            {
                await writer.WriteRowAsync(default, t.TransactionId, t.CardId, t.EventTime.UtcDateTime, t.MerchantId, t.MerchantCategory,
                    t.Amount, t.Currency, t.Country, t.Channel, t.DeviceId);
            }
            await writer.CompleteAsync();
        }
        await using (var writer = await connection.BeginBinaryImportAsync("COPY labels (transaction_id, card_id, is_fraud, labelled_at, source) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var l in labels)
            {
                await writer.WriteRowAsync(default, l.TransactionId, l.CardId, l.IsFraud, l.LabelledAt.UtcDateTime, l.Source);
            }
            await writer.CompleteAsync();
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
