using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Trainer.Bench;

namespace Fraud.Streaming.Trainer.Tests;

public sealed class BenchCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trainer-bench-").FullName;

    private static Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => TrainerCliRun.RunAsync(args);

    [Fact]
    public async Task Bench_on_tiny_sizes_prints_both_engines_side_by_side_and_writes_markdown()
    {
        var outFile = Path.Combine(_dir, "bench.md");
        var (code, output, error) = await RunAsync("bench", "--rows", "3000", "--features", "8", "--rounds", "5", "--depth", "3",
            "--transactions", "4000", "--threads", "1", "--out", outFile);

        Assert.True(code == 0, $"exit {code}: {error}\n{output}");
        Assert.Matches(@"\| ours \(cpu[^|]*\) \| \d+\.\d\d \| \d+\.\d\d \|", output);
        Assert.Matches(@"\| ML\.NET LightGBM \(cpu\) \| \d+\.\d\d \| 1\.00 \|", output);
        Assert.Contains("| ours (cuda) |", output, StringComparison.Ordinal);
        Assert.Matches(@"\| synthetic fraud world, 4,000 transactions \| [\d,]+ \| [\d,]+ \(\d+\) \| 0\.\d{4} \| 0\.\d{4} \| [+-]0\.\d{4} \| (yes|NO) \|", output);
        var markdown = File.ReadAllText(outFile);
        Assert.Contains("## Speed: 3,000 rows x 8 features, 5 rounds, depth 3, 255 bins", markdown, StringComparison.Ordinal);
        Assert.Contains("ML.NET LightGBM (cpu)", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_compares_both_engines_on_an_ieee_cis_format_file_without_and_with_its_attributes()
    {
        // IEEE-CIS layout: fraud is large amounts on product C from a few email domains, and, invisible to the contract
        // fields, rows whose count C1 is high and whose match flag M4 is M2, with noise.
        var random = new Random(11);
        var csv = new System.Text.StringBuilder("TransactionID,isFraud,TransactionDT,TransactionAmt,ProductCD,card1,addr1,P_emaildomain,C1,M4,V258\n");
        for (var i = 0; i < 3000; i++)
        {
            var product = random.NextDouble() < 0.3 ? "C" : "W";
            var amount = Math.Round(5 + (random.NextDouble() * 300), 2);
            var domain = random.NextDouble() < 0.1 ? "anonymous.com" : "gmail.com";
            var c1 = random.Next(1, 20);
            var m4 = random.NextDouble() < 0.3 ? "M2" : random.NextDouble() < 0.5 ? "M0" : "";
            var fraud = (product == "C" && amount > 150 && domain == "anonymous.com") || (c1 > 15 && m4 == "M2") || random.NextDouble() < 0.02;
            csv.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"{3_000_000 + i},{(fraud ? 1 : 0)},{86_400 + (i * 60)},{amount},{product},{1000 + random.Next(200)},{300 + random.Next(5)},{domain},{c1},{m4},{random.Next(3)}\n");
        }
        var input = Path.Combine(_dir, "train_transaction.csv");
        File.WriteAllText(input, csv.ToString());

        var (code, output, error) = await RunAsync("bench", "--rows", "2000", "--features", "6", "--rounds", "20", "--depth", "3",
            "--transactions", "0", "--threads", "1", "--input", input);

        Assert.True(code == 0, $"exit {code}: {error}\n{output}");
        Assert.Contains("IEEE-CIS train_transaction.csv: 3,000 labelled rows", output, StringComparison.Ordinal);
        var without = System.Text.RegularExpressions.Regex.Match(output,
            @"\| IEEE-CIS train_transaction\.csv, without attributes \| 2,400 \| 600 \(\d+\) \| (0\.\d{4}) \| (0\.\d{4}) \| [+-]0\.\d{4} \| (yes|NO) \|");
        var with = System.Text.RegularExpressions.Regex.Match(output,
            @"\| IEEE-CIS train_transaction\.csv, with 60 attributes \(ieee-cis-attributes\.json\) \| 2,400 \| 600 \(\d+\) \| (0\.\d{4}) \| (0\.\d{4}) \| [+-]0\.\d{4} \| (yes|NO) \|");
        Assert.True(without.Success && with.Success, output);
        // The attributes carry signal the contract fields lack: both engines gain from them.
        Assert.True(double.Parse(with.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > double.Parse(without.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 0.05, output);
        Assert.True(double.Parse(with.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) > double.Parse(without.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) + 0.05, output);
        Assert.DoesNotContain("synthetic fraud world", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_reads_the_attributes_to_compare_from_a_declaration_file()
    {
        var input = Path.Combine(_dir, "train_transaction.csv");
        File.WriteAllText(input, "TransactionID,isFraud,TransactionDT,TransactionAmt,ProductCD,C1\n" + string.Concat(Enumerable.Range(0, 400).Select(i =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{i},{(i % 10 == 0 ? 1 : 0)},{i * 60},{10 + (i % 7)},W,{(i % 10 == 0 ? 9 : 1)}\n"))));
        var declaration = Path.Combine(_dir, "attributes.json");
        File.WriteAllText(declaration, """{ "attributes": [ { "name": "C1", "type": "numeric", "default": 0 } ] }""");
        var (code, output, error) = await RunAsync("bench", "--rows", "500", "--features", "4", "--rounds", "5", "--depth", "2",
            "--transactions", "0", "--threads", "1", "--input", input, "--attributes", declaration);
        Assert.True(code == 0, $"exit {code}: {error}\n{output}");
        Assert.Contains("| IEEE-CIS train_transaction.csv, with 1 attributes (attributes.json) |", output, StringComparison.Ordinal);

        File.WriteAllText(declaration, """{ "attributes": [ { "name": "C1", "type": "number" } ] }""");
        (code, _, error) = await RunAsync("bench", "--rows", "500", "--transactions", "0", "--input", input, "--attributes", declaration);
        Assert.Equal(ExitCodes.BadInput, code); // a malformed declaration file is bad input, as in every trainer command
        Assert.Equal($"error: {declaration}: attribute entry 1: \"type\" must be \"numeric\" or \"categorical\"", error.Trim());
    }

    [Theory]
    [InlineData("--rows", "10", "--rows")]
    [InlineData("--depth", "13", "--depth")]
    [InlineData("--max-bins", "300", "--max-bins")]
    [InlineData("--transactions", "10", "--transactions")]
    [InlineData("--input", "no-such-file.csv", "--input")]
    public async Task Bad_bench_settings_are_refused_naming_the_flag(string flag, string value, string named)
    {
        var (code, _, error) = await RunAsync("bench", flag, value);
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_speed_matrix_is_deterministic_and_has_both_classes_and_missing_values()
    {
        var (x1, y1) = SyntheticMatrix.Generate(2000, 12, 7);
        var (x2, y2) = SyntheticMatrix.Generate(2000, 12, 7);
        Assert.Equal(x1, x2);
        Assert.Equal(y1, y2);
        var positive = y1.Count(l => l) / 2000.0;
        Assert.InRange(positive, 0.03, 0.3);
        Assert.Contains(x1, float.IsNaN);
        Assert.NotEqual(x1, SyntheticMatrix.Generate(2000, 12, 8).Features);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
