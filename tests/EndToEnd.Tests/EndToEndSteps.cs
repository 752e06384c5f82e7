using System.Net;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Fraud.Streaming.EndToEnd.Tests;

/// <summary>
/// Steps end-to-end tests share: run a deployable to completion, wait on a condition or an HTTP endpoint while
/// watching a process, find a free port, query the history database.
/// </summary>
internal static class EndToEndSteps
{
    /// <summary>Runs a deployable to its end, logs what it printed, asserts exit code 0; returns its last line.</summary>
    public static async Task<string> RunToEndAsync(ITestOutputHelper output, string dll, string[] args,
        IReadOnlyDictionary<string, string?> env, TimeSpan timeout)
    {
        await using var process = ProcessRunner.StartDotnet(dll, args, env);
        var code = await process.WaitForExitAsync(timeout);
        output.WriteLine($"$ {process.Description}\n{process.Output}");
        Assert.True(code == 0, $"{process.Description} exited {code}:\n{process.Output}");
        return process.Lines.Count > 0 ? process.Lines[^1].Text : string.Empty;
    }

    /// <summary>Rows in a table; 0 while the table does not exist yet (migrations not applied).</summary>
    public static async Task<long> CountAsync(string connectionString, string table)
    {
        try
        {
            return await ScalarAsync<long>(connectionString, $"select count(*) from {table}");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The built assembly of a deployable (<c>src/{project}</c>), run with <c>dotnet</c>.</summary>
    public static string Dll(string project) => RepoPaths.BuiltAssembly($"src/{project}", $"Fraud.Streaming.{project}");

    /// <summary>
    /// Starts a deployable (<c>src/{project}</c>) on a free port and waits until <paramref name="probe"/> answers 200;
    /// fails at once, with its output, if it exits meanwhile.
    /// </summary>
    public static async Task<ProcessRunner> StartServiceAsync(HttpClient http, string project, string probe, IReadOnlyDictionary<string, string?> env, TimeSpan timeout)
    {
        var url = $"http://127.0.0.1:{Ports.Free()}";
        var service = ProcessRunner.StartDotnet(Dll(project), ["--urls", url], env);
        try
        {
            await WaitUntilAsync(async () => await IsOk(http, url + probe), timeout, service, $"{project} answering {probe}");
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls <paramref name="condition"/>; fails at once, with its output, if <paramref name="watched"/> exits meanwhile.</summary>
    public static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, ProcessRunner watched, string what) =>
        Waits.UntilAsync(condition, timeout, what, watched);

    /// <summary>True when the URL answers 200; false while the service is not up yet.</summary>
    public static async Task<bool> IsOk(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(url));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Topics of their own (created), and the environment every deployable of one end-to-end run shares: those topics,
    /// the database, consumer groups of their own, card state and model store under <paramref name="work"/>.
    /// </summary>
    public static async Task<(KafkaOptions Kafka, Dictionary<string, string?> Env)> StackEnvironmentAsync(
        string bootstrap, KafkaTestTopics topics, string connectionString, string work)
    {
        var kafka = new KafkaOptions
        {
            BootstrapServers = bootstrap,
            TransactionsTopic = topics.Name("transactions"),
            VerdictsTopic = topics.Name("verdicts"),
            LabelsTopic = topics.Name("labels"),
            ModelsTopic = topics.Name("models"),
            DlqTopic = topics.Name("dlq"),
            EntityTotalsTopic = topics.Name("entities"),
            LabelsDlqTopic = topics.Name("labels-dlq"),
            DriftTopic = topics.Name("drift"),
            ShadowVerdictsTopic = topics.Name("shadow"),
            RetrainRequestsTopic = topics.Name("retrain"),
        };
        foreach (var topic in new[] { kafka.TransactionsTopic, kafka.VerdictsTopic, kafka.LabelsTopic, kafka.ModelsTopic, kafka.DlqTopic, kafka.EntityTotalsTopic, kafka.LabelsDlqTopic,
                     kafka.DriftTopic, kafka.ShadowVerdictsTopic, kafka.RetrainRequestsTopic })
        {
            await KafkaTestTopics.EnsureCreatedAsync(bootstrap, topic);
        }
        var env = new Dictionary<string, string?>
        {
            ["Kafka__BootstrapServers"] = bootstrap,
            ["Kafka__TransactionsTopic"] = kafka.TransactionsTopic,
            ["Kafka__VerdictsTopic"] = kafka.VerdictsTopic,
            ["Kafka__LabelsTopic"] = kafka.LabelsTopic,
            ["Kafka__ModelsTopic"] = kafka.ModelsTopic,
            ["Kafka__DlqTopic"] = kafka.DlqTopic,
            ["Kafka__EntityTotalsTopic"] = kafka.EntityTotalsTopic,
            ["Kafka__LabelsDlqTopic"] = kafka.LabelsDlqTopic,
            ["Kafka__DriftTopic"] = kafka.DriftTopic,
            ["Kafka__ShadowVerdictsTopic"] = kafka.ShadowVerdictsTopic,
            ["Kafka__RetrainRequestsTopic"] = kafka.RetrainRequestsTopic,
            ["Aggregator__GroupId"] = $"{topics.Prefix}.aggregator",
            ["Aggregator__IdleAfterSeconds"] = "2",
            ["Postgres__ConnectionString"] = connectionString,
            ["Scorer__GroupId"] = $"{topics.Prefix}.scorer",
            ["State__Directory"] = Path.Combine(work, "state"),
            ["Monitoring__GroupId"] = $"{topics.Prefix}.monitoring",
            ["ModelStore__Folder"] = Path.Combine(work, "store"),
            ["DOTNET_gcServer"] = "0",
        };
        // The trainer signs its announcements and the scorer trusts only that key, as in the dev stack and production.
        foreach (var (key, value) in TestSigning.Environment())
        {
            env[key] = value;
        }
        return (kafka, env);
    }

}
