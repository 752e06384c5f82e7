using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Testing;
using Microsoft.Extensions.Configuration;

namespace Fraud.Streaming.Trainer.Tests;

/// <summary>What a train run pushes to the Pushgateway, and that pushing never decides the run's outcome.</summary>
public sealed class TrainingMetricsPushTests : IDisposable
{
    private const string PushgatewayVariable = "FRAUD_PUSHGATEWAY_URL";
    private readonly string _dir = Directory.CreateTempSubdirectory("trainer-push-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [PushgatewayFact]
    public async Task A_run_pushes_how_it_ended_and_the_model_it_made_and_a_failed_run_keeps_that_model()
    {
        var pushgateway = TestEnvironment.Get(PushgatewayVariable)!;
        var job = $"trainer-test-{Guid.NewGuid():N}";
        var configuration = Configuration(pushgateway, job);
        var (tx, lb) = WriteHistory();

        var (code, output, error) = await TrainerCliRun.RunAsync(configuration, "train", "--transactions", tx, "--labels", lb,
            "--out", Path.Combine(_dir, "out"), "--rounds", "20", "--no-register", "--model-name", "push-test");
        Assert.True(code == 0, $"exit {code}: {error}\n{output}");
        var version = System.Text.RegularExpressions.Regex.Match(output, @"version=(\S+)").Groups[1].Value;

        var series = await GroupAsync(pushgateway, job);
        Assert.Equal("0", series["fraud_trainer_last_run_exit_code"]);
        Assert.Equal(series["fraud_trainer_last_run_timestamp_seconds"], series["fraud_trainer_last_success_timestamp_seconds"]);
        var info = Assert.Single(series.Keys, k => k.StartsWith("fraud_trainer_model_info{", StringComparison.Ordinal));
        Assert.Contains($"version=\"{version}\"", info, StringComparison.Ordinal);
        Assert.Contains("announced=\"false\"", info, StringComparison.Ordinal);
        Assert.Contains("algorithm=\"gbdt\"", info, StringComparison.Ordinal);
        Assert.InRange(double.Parse(series["fraud_trainer_model_roc_auc"], System.Globalization.CultureInfo.InvariantCulture), 0.5, 1.0);
        Assert.Contains(series.Keys, k => k.StartsWith("fraud_trainer_phase_duration_seconds{", StringComparison.Ordinal) && k.Contains("phase=\"train\"", StringComparison.Ordinal));
        Assert.Contains(series.Keys, k => k.StartsWith("fraud_trainer_model_threshold{", StringComparison.Ordinal) && k.Contains("decision=\"decline\"", StringComparison.Ordinal));

        // A failed run replaces only the run's figures: the last success and the last model stay.
        var (failed, _, failedError) = await TrainerCliRun.RunAsync(configuration, "train", "--transactions", Path.Combine(_dir, "missing.jsonl"),
            "--labels", lb, "--out", Path.Combine(_dir, "out2"), "--no-register", "--model-name", "push-test");
        // (A missing input file is bad usage in the shared exit-code table.)
        Assert.Equal(ExitCodes.BadUsage, failed);
        Assert.DoesNotContain("warning", failedError, StringComparison.Ordinal);
        var after = await GroupAsync(pushgateway, job);
        Assert.Equal($"{ExitCodes.BadUsage}", after["fraud_trainer_last_run_exit_code"]);
        Assert.Equal(series["fraud_trainer_last_success_timestamp_seconds"], after["fraud_trainer_last_success_timestamp_seconds"]);
        Assert.Contains(info, after.Keys);
    }

    [Fact]
    public async Task An_unreachable_Pushgateway_is_a_warning_and_the_run_still_succeeds()
    {
        var (tx, lb) = WriteHistory();

        var (code, output, error) = await TrainerCliRun.RunAsync(Configuration($"http://127.0.0.1:{ClosedPort()}", "trainer"), "train",
            "--transactions", tx, "--labels", lb, "--out", Path.Combine(_dir, "out"), "--rounds", "10", "--no-register");

        Assert.True(code == 0, $"exit {code}: {error}\n{output}");
        Assert.StartsWith("warning: pushing metrics to http://127.0.0.1:", error.Trim(), StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task A_Pushgateway_url_that_is_not_http_is_refused_in_one_line_before_training()
    {
        var (code, output, error) = await TrainerCliRun.RunAsync(Configuration("pushgateway:9091", "trainer"), "train",
            "--transactions", "t.jsonl", "--labels", "l.jsonl", "--out", Path.Combine(_dir, "out"));

        Assert.Equal(ExitCodes.BadUsage, code); // a bad setting, as the services report one at start
        Assert.Equal("error: invalid configuration: Pushgateway:Url must be an http(s) URL, not 'pushgateway:9091'", error.Trim());
        Assert.Empty(output);
    }

    private static IConfiguration Configuration(string url, string job) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Pushgateway:Url"] = url, ["Pushgateway:Job"] = job })
        .Build();

    private (string Transactions, string Labels) WriteHistory()
    {
        var (transactions, labels) = SyntheticHistory.Generate(seed: 5, cards: 150, transactionsPerCard: 10);
        var tx = Path.Combine(_dir, "transactions.jsonl");
        var lb = Path.Combine(_dir, "labels.jsonl");
        SyntheticHistory.WriteJsonl(tx, lb, transactions, labels);
        return (tx, lb);
    }

    /// <summary>The series of one Pushgateway group (job label), as "name{labels}" → value, without the labels the Pushgateway adds.</summary>
    private static async Task<Dictionary<string, string>> GroupAsync(string pushgateway, string job)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri($"{pushgateway.TrimEnd('/')}/metrics"));
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n').Where(l => l.StartsWith("fraud_trainer_", StringComparison.Ordinal) && l.Contains($"job=\"{job}\"", StringComparison.Ordinal)))
        {
            var space = line.LastIndexOf(' ');
            var name = line[..space];
            name = System.Text.RegularExpressions.Regex.Replace(name, @"(instance|job|model)=""[^""]*"",?", "").Replace(",}", "}", StringComparison.Ordinal).Replace("{}", "", StringComparison.Ordinal);
            result[name] = line[(space + 1)..];
        }
        return result;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [PushgatewayFact]
    public async Task The_dev_stacks_pushgateway_keeps_nothing_from_other_stacks_or_earlier_runs()
    {
        // Debian's build persists to one machine-wide file by default: failed runs pushed by tests then fired
        // FraudTrainerRunFailed in every later stack on the machine.
        using var http = new HttpClient();
        using var status = JsonDocument.Parse(await http.GetStringAsync(new Uri(TestEnvironment.Get(PushgatewayVariable)! + "/api/v1/status")));
        Assert.Equal("", status.RootElement.GetProperty("data").GetProperty("flags").GetProperty("persistence.file").GetString());
    }

    [AttributeUsage(AttributeTargets.Method)]
    private sealed class PushgatewayFactAttribute : FactAttribute
    {
        public PushgatewayFactAttribute() => Skip ??= TestEnvironment.Get(PushgatewayVariable) is null
            ? $"needs a Pushgateway: run `deploy/devstack.sh up` or set {PushgatewayVariable}"
            : null;
    }
}
