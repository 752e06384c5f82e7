using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Testing;
using Xunit.Abstractions;

using static Fraud.Streaming.EndToEnd.Tests.EndToEndSteps;

namespace Fraud.Streaming.EndToEnd.Tests;

/// <summary>
/// A client in any language: a transaction published with kcat (the Debian package) is scored by the scorer
/// process, and kcat reads the verdict back. Nothing .NET touches the messages on the way in or out.
/// </summary>
public sealed class KcatTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(120);

    [KcatStackFact]
    public async Task A_transaction_published_with_kcat_gets_a_verdict_that_kcat_reads_back()
    {
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        var topics = new KafkaTestTopics("kcat");
        var work = Directory.CreateTempSubdirectory("fraud-kcat-").FullName;
        var transactionsTopic = topics.Name("transactions");
        var verdictsTopic = topics.Name("verdicts");
        foreach (var topic in new[] { transactionsTopic, verdictsTopic, topics.Name("models"), topics.Name("dlq"), topics.Name("entities") })
        {
            await KafkaTestTopics.EnsureCreatedAsync(bootstrap, topic);
        }

        // A model trained in file mode: synthetic history to JSONL, the trainer on those files, no registry.
        var history = Path.Combine(work, "history");
        await RunToEndAsync("dotnet", [Dll("Producer"), "synthetic", "--count", "4000", "--cards", "300", "--fraud-rate", "0.05", "--seed", "3", "--out-dir", history]);
        var model = Path.Combine(work, "model");
        await RunToEndAsync("dotnet", [Dll("Trainer"), "train", "--transactions", Path.Combine(history, "transactions.jsonl"),
            "--labels", Path.Combine(history, "labels.jsonl"), "--out", model, "--rounds", "20", "--no-register"]);

        var env = new Dictionary<string, string?>
        {
            ["Kafka__BootstrapServers"] = bootstrap,
            ["Kafka__TransactionsTopic"] = transactionsTopic,
            ["Kafka__VerdictsTopic"] = verdictsTopic,
            ["Kafka__ModelsTopic"] = topics.Name("models"),
            ["Kafka__DlqTopic"] = topics.Name("dlq"),
            // No aggregator in this test: its totals topic stays empty and the verdict says no entity day was read.
            ["Kafka__EntityTotalsTopic"] = topics.Name("entities"),
            ["Scorer__EntityMaxWaitMs"] = "0",
            ["Scorer__GroupId"] = $"{topics.Prefix}.scorer",
            ["State__Directory"] = Path.Combine(work, "state"),
            ["Scorer__InitialModel"] = model,
            ["DOTNET_gcServer"] = "0",
        };
        var scorerUrl = $"http://127.0.0.1:{Ports.Free()}";
        await using var scorer = ProcessRunner.StartDotnet(Dll("Scorer"), ["run", "--urls", scorerUrl], env);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await WaitUntilAsync(async () => await IsOk(http, $"{scorerUrl}/readyz"), Step, scorer, "scorer ready");

        // Exactly what the README shows: key = card_id, then the v1 JSON, separated by '|'.
        var transactionId = $"kcat-{Guid.NewGuid():N}";
        const string card = "card-kcat-0001";
        var json = $$"""{"schema_version":1,"transaction_id":"{{transactionId}}","event_time":"2026-01-15T12:00:00Z","card_id":"{{card}}","merchant_id":"merch-00042","merchant_category":"electronics","amount":1899.99,"currency":"USD","country":"NG","channel":"online","device_id":"dev-new-1"}""";
        var input = Path.Combine(work, "tx.txt");
        await File.WriteAllTextAsync(input, $"{card}|{json}\n");
        await RunToEndAsync("kcat", ["-P", "-b", bootstrap, "-t", transactionsTopic, "-K", "|", "-l", input]);

        var read = await RunToEndAsync("kcat", ["-C", "-b", bootstrap, "-t", verdictsTopic, "-o", "beginning", "-c", "1", "-f", "%k\t%s\n"]);
        var line = read.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single(l => l.StartsWith(card + "\t", StringComparison.Ordinal));
        var verdict = ContractJson.DeserializeVerdict(System.Text.Encoding.UTF8.GetBytes(line[(card.Length + 1)..]));
        Assert.Equal(transactionId, verdict.TransactionId);
        Assert.Equal(card, verdict.CardId);
        Assert.InRange(verdict.Score, 0, 1);
        Assert.False(string.IsNullOrEmpty(verdict.ModelVersion));
        output.WriteLine(line);

        Assert.Equal(0, await scorer.StopAsync(TimeSpan.FromSeconds(30)));
        Directory.Delete(work, recursive: true);
    }

    private async Task<string> RunToEndAsync(string program, string[] args)
    {
        await using var process = ProcessRunner.Start(program, args);
        var code = await process.WaitForExitAsync(Step);
        output.WriteLine($"$ {process.Description}\n{process.Output}");
        Assert.True(code == 0, $"{process.Description} exited {code}:\n{process.Output}");
        return string.Join('\n', process.Lines.Where(l => !l.IsError).Select(l => l.Text));
    }

    /// <summary>Needs the dev stack and the kcat program on the PATH.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    private sealed class KcatStackFactAttribute : FactAttribute
    {
        public KcatStackFactAttribute() => Skip ??= SkipReasons.Kafka ?? (OnPath("kcat") ? null : "needs kcat on the PATH: apt-get install kcat (deploy/devstack.sh up installs it as root)");

        private static bool OnPath(string program) =>
            (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Any(dir => File.Exists(Path.Combine(dir, program)));
    }
}
