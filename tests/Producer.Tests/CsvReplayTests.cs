using System.Text.Json;
using Fraud.Streaming.DataSets.Replay;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Producer.Tests;

public sealed class CsvReplayTests
{
    private const string BankMap = "event_time=ts,card_id=customer,amount=amt,merchant_id=shop,merchant_category=mcc,is_fraud=fraud,device_id=device";
    private const string BankConstants = "currency=EUR,country=DE,channel=card_present";

    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    private static ReplaySettings Csv(string input, string map, string? constants, string timeFormat, DateTimeOffset? start = null)
    {
        Assert.True(CsvColumnMap.TryParse(map, constants, out var columns, out var error), error);
        Assert.True(CsvTimeFormat.TryCreate(timeFormat, start ?? ReplaySettings.DefaultStart, out var times, out error), error);
        return new ReplaySettings { Format = ReplayFormat.Csv, Input = input, CsvMap = columns, CsvTime = times, Start = start ?? ReplaySettings.DefaultStart };
    }

    [Fact]
    public void A_csv_of_another_layout_replays_through_its_column_map_and_rejects_rows_by_line()
    {
        var errors = new List<ReplayError>();
        var source = new ReplaySource(Csv(Data("bank.csv"), BankMap, BankConstants, "yyyy-MM-dd HH:mm:ss"), errors.Add);
        var records = source.Records().ToList();

        Assert.Equal(["bank-2", "bank-4", "bank-8"], records.Select(r => r.Transaction.TransactionId));
        var first = records[0].Transaction;
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.Zero), first.EventTime);
        Assert.Equal(("c1", "s-1", "5411", 12.5, "EUR", "DE", "card_present", "d1"),
            (first.CardId, first.MerchantId, first.MerchantCategory, first.Amount, first.Currency, first.Country, first.Channel, first.DeviceId));
        // Unmapped columns are attributes, numbers as numbers.
        Assert.Equal(0.1, first.Attributes!["risk_score"].GetDouble());
        Assert.Equal("hello, world", first.Attributes["notes"].GetString());
        Assert.Null(records[2].Transaction.DeviceId);
        Assert.Null(records[2].Transaction.Attributes);
        // is_fraud in any of its spellings becomes a delayed label.
        Assert.True(records[1].Label!.IsFraud);
        Assert.Equal(CsvSource.LabelSource, records[1].Label!.Scenario);
        Assert.False(records[2].Label!.IsFraud);
        Assert.All(records, r => Assert.True(TransactionValidator.Validate(r.Transaction, EventTimeWindow.Now(ContractLimits.DefaultMaxFutureSkew), out _)));

        Assert.Equal(6, source.Malformed);
        Assert.Equal([3L, 5L, 6L, 7L, 9L, 10L], errors.Select(e => e.Line));
        Assert.StartsWith("invalid_amount: amount -5 is not a number in [0, ", errors[0].Reason, StringComparison.Ordinal);
        Assert.Equal("event_time 'not a time' is not a time of the pattern \"yyyy-MM-dd HH:mm:ss\"", errors[1].Reason);
        Assert.Equal("amount 'abc' is not a number", errors[2].Reason);
        Assert.StartsWith("is_fraud 'maybe' is neither", errors[3].Reason, StringComparison.Ordinal);
        Assert.Equal("missing_field: card_id is empty", errors[4].Reason);
        Assert.Contains("4 fields, header has 9", errors[5].Reason, StringComparison.Ordinal);
        Assert.All(errors, e => Assert.Equal("bank.csv", e.File));
    }

    [Theory]
    [InlineData("epoch-seconds", "1709287200", "2024-03-01T10:00:00Z")]
    [InlineData("epoch-seconds", "1709287200.25", "2024-03-01T10:00:00.25Z")]
    [InlineData("epoch-millis", "1709287200123", "2024-03-01T10:00:00.123Z")]
    [InlineData("offset-seconds", "86401", "2024-01-02T00:00:01Z")]
    [InlineData("iso", "2024-03-01T11:00:00+01:00", "2024-03-01T10:00:00Z")]
    [InlineData("iso", "2024-03-01 10:00", "2024-03-01T10:00:00Z")]
    [InlineData("dd/MM/yyyy HH:mm", "01/03/2024 10:00", "2024-03-01T10:00:00Z")]
    public void Event_times_read_in_every_format(string format, string cell, string expected)
    {
        Assert.True(CsvTimeFormat.TryCreate(format, new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), out var times, out var error), error);
        Assert.True(times.TryParse(cell, out var time, out error), error);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), time);
    }

    [Theory]
    [InlineData("offset-seconds", "-5", "a non-negative number of seconds after --start")]
    [InlineData("epoch-millis", "soon", "a number of milliseconds since 1970-01-01")]
    [InlineData("iso", "yesterday", "an ISO 8601 time")]
    public void Unreadable_times_say_which_format_they_missed(string format, string cell, string expected)
    {
        Assert.True(CsvTimeFormat.TryCreate(format, ReplaySettings.DefaultStart, out var times, out _));
        Assert.False(times.TryParse(cell, out _, out var error));
        Assert.Equal($"event_time '{cell}' is not {expected}", error);
    }

    [Theory]
    [InlineData("card_id=a,amount=b", null, "--map or --const must give event_time, merchant_id, merchant_category, currency, country, channel")]
    [InlineData("event_time=t,card_id=c,amount=a,colour=x", null, "--map: unknown field 'colour'")]
    [InlineData("event_time=t,card_id=c,amount=a,currency=x", "currency=EUR", "currency has both a column (--map) and a constant (--const)")]
    [InlineData("event_time=t,amount=a", "card_id=c", "card_id must come from a column (--map), not a constant")]
    [InlineData("event_time=t,card_id", null, "--map: 'card_id' is not FIELD=VALUE")]
    public void Column_maps_that_cannot_work_are_refused_with_one_line(string map, string? constants, string expected)
    {
        Assert.False(CsvColumnMap.TryParse(map, constants, out _, out var error));
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_replay_command_writes_the_csv_as_contract_files_and_names_a_missing_column_in_one_line()
    {
        using var dir = new TempDirectory();
        var producer = RepoPaths.BuiltAssembly("src/Producer", "Fraud.Streaming.Producer");
        await using (var run = ProcessRunner.StartDotnet(producer, ["replay", "--format", "csv", "--input", Data("bank.csv"), "--map", BankMap,
                         "--const", BankConstants, "--time-format", "yyyy-MM-dd HH:mm:ss", "--out-dir", dir.Path]))
        {
            Assert.Equal(0, await run.WaitForExitAsync(TimeSpan.FromMinutes(1)));
            Assert.Contains("replayed transactions=3 labels=3 fraud=1 malformed=6", run.Output, StringComparison.Ordinal);
            Assert.Contains("bank.csv:7: is_fraud 'maybe'", run.Output, StringComparison.Ordinal);
        }
        var lines = File.ReadAllLines(dir.File("transactions.jsonl"));
        Assert.Equal(3, lines.Length);
        Assert.Equal("c1", JsonDocument.Parse(lines[0]).RootElement.GetProperty("card_id").GetString());

        await using (var run = ProcessRunner.StartDotnet(producer, ["replay", "--format", "csv", "--input", Data("bank.csv"),
                         "--map", BankMap.Replace("amount=amt", "amount=total", StringComparison.Ordinal), "--const", BankConstants, "--out-dir", dir.Path]))
        {
            Assert.Equal(2, await run.WaitForExitAsync(TimeSpan.FromMinutes(1)));
            Assert.Equal("error: bank.csv: no column 'total' in the header (mapped to amount)", Assert.Single(run.Lines).Text);
        }
        await using (var run = ProcessRunner.StartDotnet(producer, ["replay", "--format", "csv", "--input", Data("bank.csv"), "--out-dir", dir.Path]))
        {
            Assert.NotEqual(0, await run.WaitForExitAsync(TimeSpan.FromMinutes(1)));
            Assert.Contains("--format csv needs --map FIELD=COLUMN", run.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", run.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_bad_setting_on_the_command_line_is_refused_before_any_work_with_exit_2()
    {
        using var dir = new TempDirectory();
        var producer = RepoPaths.BuiltAssembly("src/Producer", "Fraud.Streaming.Producer");
        await using var run = ProcessRunner.StartDotnet(producer, ["replay", "--format", "csv", "--input", Data("bank.csv"), "--map", BankMap,
            "--const", BankConstants, "--out-dir", dir.Path, "--Kafka:BootstrapServers=x"]);

        Assert.Equal(2, await run.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.StartsWith("error: invalid configuration: Kafka:BootstrapServers", Assert.Single(run.Lines).Text, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
