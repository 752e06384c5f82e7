using System.Globalization;
using System.Text.RegularExpressions;
using Fraud.Streaming.Testing;
using Xunit.Abstractions;

using static Fraud.Streaming.EndToEnd.Tests.EndToEndSteps;

namespace Fraud.Streaming.EndToEnd.Tests;

/// <summary>
/// The model watched in production, every deployable its own process: history from the synthetic world, model v1,
/// scorer; then traffic whose amounts are five times larger. The scorer's drift gauges rise for the amount features
/// (not for the time of day), Monitoring raises a retrain request from the drift reports, the trainer's scheduled run
/// trains at once because of it and closes it with v2, and the scorer swaps to v2.
/// </summary>
public sealed partial class DriftRetrainLoopTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(150);

    [StackFact]
    public async Task Shifted_traffic_raises_the_drift_gauges_and_a_retrain_request_that_the_scheduled_trainer_answers_with_a_model_the_scorer_swaps_to()
    {
        await using var db = await PostgresTestDatabase.CreateAsync();
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        var topics = new KafkaTestTopics("drift-e2e");
        var work = Directory.CreateTempSubdirectory("fraud-drift-e2e-").FullName;
        var (kafka, env) = await StackEnvironmentAsync(bootstrap, topics, db.ConnectionString, work);
        // A short window and frequent reports, so a shift shows within seconds at this test's rate.
        env["Drift__WindowSeconds"] = "20";
        env["Drift__ReportSeconds"] = "2";
        env["Quality__IntervalSeconds"] = "5";
        env["Retrain__MinWindowTransactions"] = "500";
        // The synthetic world is two weeks old: features that grow with history (a merchant's 30-day count, a card's
        // count) drift too once it goes on (0.4 within seconds, more later). The limit sits where only a large shift,
        // like the fivefold amounts below, crosses it while the window still holds it.
        env["Retrain__MaxFeaturePsi"] = "1";
        env["Retrain__ConsecutiveReports"] = "2";

        var scorerUrl = $"http://127.0.0.1:{Ports.Free()}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await using var monitoring = await StartServiceAsync(http, "Monitoring", "/healthz", env, Step);
        await using var aggregator = await StartServiceAsync(http, "Aggregator", "/readyz", env, Step);

        // 1. Two weeks of history and model v1 from it.
        const int history = 4000;
        await RunToEndAsync(output, Dll("Producer"), ["synthetic", "--count", $"{history}", "--cards", "400", "--fraud-rate", "0.05",
            "--seed", "1", "--rate", "0", "--label-delay-seconds", "0"], env, Step);
        await WaitUntilAsync(async () => await CountAsync(db.ConnectionString, "transactions") == history, Step, monitoring, $"{history} transactions in Postgres");
        await RunToEndAsync(output, Dll("Trainer"), ["train", "--out", Path.Combine(work, "v1"), "--rounds", "30"], env, Step);
        var v1 = await ScalarAsync<string>(db.ConnectionString, "select version from model_versions where status = 'champion'");

        // 2. The scorer scores that history: traffic like the training data, no request.
        await using var scorer = ProcessRunner.StartDotnet(Dll("Scorer"), ["run", "--urls", scorerUrl], env);
        await WaitUntilAsync(async () => await IsOk(http, $"{scorerUrl}/readyz"), Step, scorer, "scorer ready");
        await WaitUntilAsync(async () => await CountAsync(db.ConnectionString, "verdicts") == history, Step, scorer, $"{history} verdicts");
        await WaitUntilAsync(async () => await CountAsync(db.ConnectionString, "drift_daily") > 0, Step, monitoring, "daily drift of v1");
        var unshifted = await GaugesAsync(http, scorerUrl);
        output.WriteLine($"the history: {Describe(unshifted)}");
        Assert.Equal(0, await CountAsync(db.ConnectionString, "retrain_requests"));

        // 3. Traffic with five times the amounts, after the history, until the loop has closed.
        // The same world (seed) goes on after the history, with ids of its own.
        await using var shifted = ProcessRunner.StartDotnet(Dll("Producer"), ["synthetic", "--duration-seconds", "600", "--cards", "400",
            "--fraud-rate", "0.05", "--seed", "1", "--id-prefix", "shifted-", "--rate", "250", "--label-delay-seconds", "0", "--amount-scale", "5",
            "--start", "2026-01-16T00:00:00Z"], env);
        await WaitUntilAsync(async () => await CountAsync(db.ConnectionString, "retrain_requests") > 0, Step, shifted, "a retrain request");
        var shiftedGauges = await GaugesAsync(http, scorerUrl);
        output.WriteLine($"after the shift: {Describe(shiftedGauges)}");
        // The amount features rose from nothing to far past the limit; the time of day, which did not shift, did not.
        Assert.All(unshifted.Values, psi => Assert.True(psi < 0.25, Describe(unshifted)));
        foreach (var feature in new[] { "amount_log", "amount_sum_24h_log" })
        {
            Assert.True(shiftedGauges[feature] >= 1 && shiftedGauges[feature] > 10 * unshifted[feature], $"{feature} PSI {unshifted[feature]} -> {shiftedGauges[feature]}");
        }
        Assert.True(shiftedGauges["hour_sin"] < 0.25, $"hour_sin PSI {shiftedGauges["hour_sin"]}: the time of day did not shift");
        var (trigger, serving, reason) = await RequestAsync(db.ConnectionString);
        Assert.Equal(("drift", v1), (trigger, serving));
        Assert.Matches(@"^\S+ PSI \d+\.\d{3} >= [\d.]+(, .*)? over the last 20 s \(\d+ transactions, \d+ reports in a row from ", reason);

        // 4. The scheduled trainer run is not due by its schedule, but the request makes it train now.
        var trained = await RunToEndAsync(output, Dll("Trainer"), ["train", "--out", Path.Combine(work, "v2"), "--rounds", "30",
            "--schedule-hours", "1000", "--promote-margin", "-1"], env, Step);
        Assert.Contains("champion=true", trained, StringComparison.Ordinal);
        var v2 = await ScalarAsync<string>(db.ConnectionString, "select version from model_versions where status = 'champion'");
        Assert.NotEqual(v1, v2);
        Assert.Equal(v2, await ScalarAsync<string>(db.ConnectionString, "select closed_by_version from retrain_requests order by id limit 1"));

        // 5. The scorer swaps to v2 under the shifted traffic.
        await WaitUntilAsync(async () => await ScalarAsync<long>(db.ConnectionString, $"select count(*) from verdicts where model_version = '{v2}'") > 0,
            Step, shifted, $"verdicts by {v2}");
        Assert.Equal(0, await shifted.StopAsync(TimeSpan.FromSeconds(60)));
        Assert.False(scorer.HasExited, scorer.Output);
        Assert.False(monitoring.HasExited, monitoring.Output);
        Assert.Equal(0, await scorer.StopAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, await monitoring.StopAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, await aggregator.StopAsync(TimeSpan.FromSeconds(30)));
        output.WriteLine($"v1={v1} v2={v2} request: {trigger} on {serving}: {reason}");
        Directory.Delete(work, recursive: true);
    }

    private static async Task<(string Trigger, string Serving, string Reason)> RequestAsync(string connectionString) => (
        await ScalarAsync<string>(connectionString, "select trigger from retrain_requests order by id limit 1"),
        await ScalarAsync<string>(connectionString, "select model_version from retrain_requests order by id limit 1"),
        await ScalarAsync<string>(connectionString, "select reason from retrain_requests order by id limit 1"));

    /// <summary>The scorer's per-feature drift gauges, by feature.</summary>
    private static async Task<Dictionary<string, double>> GaugesAsync(HttpClient http, string scorerUrl)
    {
        var metrics = await http.GetStringAsync(new Uri($"{scorerUrl}/metrics"));
        return PsiLine().Matches(metrics).ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    private static string Describe(Dictionary<string, double> psi) =>
        string.Join(", ", psi.OrderByDescending(p => p.Value).Take(5).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:F3}")));

    [GeneratedRegex("""^fraud_scorer_drift_psi\{feature="([a-z0-9_]+)"\} (\S+)$""", RegexOptions.Multiline)]
    private static partial Regex PsiLine();
}
