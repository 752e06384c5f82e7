using System.CommandLine;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Trust;
using Fraud.Streaming.Trainer.Metrics;
using Microsoft.Extensions.Configuration;

namespace Fraud.Streaming.Trainer;

/// <summary><c>models list|promote|rollback</c>: the registry by hand. Promote and rollback announce the new champion.</summary>
internal static class ModelsCommands
{
    public static Command Build(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var models = new Command("models", "list, promote or roll back registered model versions");

        var pg = TrainerCli.PostgresOption();
        var name = TrainerCli.ModelNameOption();
        var list = new Command("list", "print the model's versions, newest first") { pg, name };
        list.SetAction((parse, ct) => RunAsync(configuration, parse.GetValue(pg), error, async registry =>
        {
            var rows = await registry.ListAsync(parse.GetValue(name)!, ct);
            await output.WriteLineAsync(Table(rows));
            return ExitCodes.Ok;
        }, ct));

        var version = new Argument<string>("version") { Description = "the version to make champion" };
        var noAnnounce = new Option<bool>("--no-announce") { Description = "change the registry only (the next train run announces it)" };
        var promote = new Command("promote", "check the version's stored artifact, make it the champion and announce it") { version, pg, name, noAnnounce };
        promote.SetAction((parse, ct) => RunAsync(configuration, parse.GetValue(pg), error, async registry =>
        {
            var model = parse.GetValue(name)!;
            var target = (await registry.ListAsync(model, ct)).FirstOrDefault(r => r.Version == parse.GetValue(version))
                ?? throw new ArgumentException($"model {model} has no version {parse.GetValue(version)}");
            if (await VerifyAsync(configuration, target, error, ct) is { } refused)
            {
                return refused;
            }
            var row = await registry.PromoteAsync(model, target.Version, ct);
            await output.WriteLineAsync($"{row.ModelName} {row.Version} is champion");
            return parse.GetValue(noAnnounce) ? ExitCodes.Ok : await AnnounceAsync(configuration, registry, row, output, error, ct);
        }, ct));

        var rollbackNoAnnounce = new Option<bool>("--no-announce") { Description = "change the registry only (the next train run announces it)" };
        var rollback = new Command("rollback", "return to the previous champion (checked first) and announce it") { pg, name, rollbackNoAnnounce };
        rollback.SetAction((parse, ct) => RunAsync(configuration, parse.GetValue(pg), error, async registry =>
        {
            var model = parse.GetValue(name)!;
            var previous = await registry.GetPreviousChampionAsync(model, ct)
                ?? throw new InvalidOperationException($"model {model} has no previous champion to roll back to");
            if (await VerifyAsync(configuration, previous, error, ct) is { } refused)
            {
                return refused;
            }
            var row = await registry.RollbackAsync(model, ct, expected: previous.Version);
            await output.WriteLineAsync($"{row.ModelName} rolled back to {row.Version}");
            return parse.GetValue(rollbackNoAnnounce) ? ExitCodes.Ok : await AnnounceAsync(configuration, registry, row, output, error, ct);
        }, ct));

        models.Subcommands.Add(list);
        models.Subcommands.Add(promote);
        models.Subcommands.Add(rollback);
        return models;
    }

    internal static string Table(IReadOnlyList<ModelVersionRow> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        var lines = new List<string[]> { new[] { "VERSION", "STATUS", "CREATED (UTC)", "ROC_AUC", "PR_AUC", "FEATURES", "ARTIFACT" } };
        lines.AddRange(rows.Select(r => new[]
        {
            r.Version, r.Status, r.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", inv), r.RocAuc.ToString("F4", inv),
            r.PrAuc.ToString("F4", inv), $"{r.FeatureSpec}/{r.FeatureHash}", r.ArtifactUri,
        }));
        var widths = Enumerable.Range(0, lines[0].Length).Select(c => lines.Max(l => l[c].Length)).ToArray();
        var text = string.Join('\n', lines.Select(l => string.Join("  ", l.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd()));
        return rows.Count == 0 ? text + "\n(no versions registered)" : text;
    }

    private static async Task<int> RunAsync(IConfiguration configuration, string? pg, TextWriter error,
        Func<ModelRegistry, Task<int>> action, CancellationToken cancellationToken)
    {
        var connectionString = TrainerCli.PostgresConnectionString(configuration, pg);
        try
        {
            await using var dataSource = await PostgresAccess.OpenAsync(connectionString, cancellationToken);
            return await action(new ModelRegistry(dataSource));
        }
        catch (PostgresUnavailableException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.PostgresUnavailable;
        }
        catch (Npgsql.NpgsqlException ex)
        {
            await error.WriteLineAsync($"error: postgres at {PostgresAccess.Describe(connectionString)}: {PostgresAccess.OneLine(ex)}");
            return ExitCodes.PostgresUnavailable;
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.BadUsage;
        }
        catch (InvalidOperationException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Failed;
        }
    }

    /// <summary>The version's stored artifact (and merchant table) exist and match its manifest; null when so, else the exit code.</summary>
    private static async Task<int?> VerifyAsync(IConfiguration configuration, ModelVersionRow row, TextWriter error, CancellationToken cancellationToken)
    {
        var store = TrainerCli.Bind<ModelStoreOptions>(configuration, ModelStoreOptions.Section);
        try
        {
            var manifest = ContractJson.DeserializeManifest(Encoding.UTF8.GetBytes(row.Manifest));
            await new ArtifactFetcher(store).VerifyAsync(manifest, cancellationToken);
            return null;
        }
        catch (ModelRejectedException ex)
        {
            await error.WriteLineAsync($"error: {row.Version} not changed to champion: its stored artifact fails its check ({ex.Code}): {ex.Message}");
            return ExitCodes.StoreFailed;
        }
    }

    private static async Task<int> AnnounceAsync(IConfiguration configuration, ModelRegistry registry, ModelVersionRow row, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        var kafka = TrainerCli.Bind<KafkaOptions>(configuration, KafkaOptions.Section);
        AnnouncementSigner? signer;
        try
        {
            signer = AnnouncementSigner.From(TrainerCli.Bind<SigningOptions>(configuration, SigningOptions.Section));
        }
        catch (InvalidOperationException ex)
        {
            await error.WriteLineAsync($"error: {row.Version} is champion in the registry but NOT announced: {ex.Message}");
            return ExitCodes.BadUsage;
        }
        if (signer is null)
        {
            await error.WriteLineAsync("warning: no signing key (Signing:PrivateKeyFile or Signing:PrivateKey): the announcement goes unsigned, and scorers that trust keys refuse it");
        }
        try
        {
            var manifest = ContractJson.DeserializeManifest(Encoding.UTF8.GetBytes(row.Manifest));
            using var announcer = new ModelAnnouncer(kafka, TimeSpan.FromSeconds(15), signer);
            var at = await announcer.AnnounceAsync(manifest, cancellationToken);
            await registry.MarkAnnouncedAsync(row.ModelName, row.Version, cancellationToken);
            await output.WriteLineAsync($"announced {row.Version} on {at}");
            await PushAnnouncedAsync(configuration, manifest, error);
            return ExitCodes.Ok;
        }
        catch (KafkaException ex)
        {
            await error.WriteLineAsync($"error: {row.Version} is champion in the registry but NOT announced on {kafka.ModelsTopic} ({kafka.BootstrapServers}): {ex.Error.Reason}; the next train run announces it");
            return ExitCodes.KafkaFailed;
        }
    }

    /// <summary>The hand-announced version becomes the trainer's reported model, so dashboards and alerts follow it.</summary>
    private static async Task PushAnnouncedAsync(IConfiguration configuration, ModelManifest manifest, TextWriter error)
    {
        var pushgateway = TrainerCli.Bind<PushgatewayOptions>(configuration, PushgatewayOptions.Section);
        if (pushgateway.Problem() is { } problem)
        {
            await error.WriteLineAsync($"warning: metrics not pushed: {problem}");
            return;
        }
        var metrics = new TrainingMetrics();
        metrics.Model(manifest, announced: true, []);
        await new MetricsPusher(pushgateway, error).PushAsync(manifest.ModelName, metrics);
    }
}
