using System.CommandLine;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Quality;
using Fraud.Streaming.Shared.Trust;
using Fraud.Streaming.Trainer.Metrics;
using Fraud.Streaming.Trainer.Publishing;
using Microsoft.Extensions.Configuration;

namespace Fraud.Streaming.Trainer;

/// <summary><c>models list|promote|rollback</c>: the registry by hand. Promote and rollback announce the new champion.</summary>
internal static class ModelsCommands
{
    public static Command Build(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var models = new Command("models", "list, promote, roll back or challenge registered model versions");

        var pg = TrainerCli.PostgresOption();
        var name = TrainerCli.ModelNameOption();
        var list = new Command("list", "print the model's versions, newest first") { pg, name };
        list.SetAction((parse, ct) => RunAsync(configuration, parse.GetValue(pg), error, async (registry, _) =>
        {
            var rows = await registry.ListAsync(parse.GetValue(name)!, ct);
            await output.WriteLineAsync(Table(rows));
            return ExitCodes.Ok;
        }, ct));

        var version = new Argument<string>("version") { Description = "the version to make champion" };
        var noAnnounce = new Option<bool>("--no-announce") { Description = "change the registry only (the next train run announces it)" };
        var liveMargin = new Option<double?>("--require-live-margin")
        {
            Description = "promote only if the version, scored in shadow as the challenger, beats the champion on live labels by this much (--live-metric)",
        };
        var liveMetric = new Option<string>("--live-metric") { Description = "pr_auc or roc_auc, on matured live transactions both scored", DefaultValueFactory = _ => LiveComparison.PrAucMetric };
        liveMetric.AcceptOnlyFromAmong(LiveComparison.PrAucMetric, LiveComparison.RocAucMetric);
        var maturity = TrainerCli.MaturityOption();
        var promote = new Command("promote", "check the version's stored artifact, make it the champion and announce it")
        {
            version, pg, name, noAnnounce, liveMargin, liveMetric, maturity,
        };
        promote.SetAction((parse, ct) => RunAsync(configuration, parse.GetValue(pg), error, async (registry, dataSource) =>
        {
            var modelName = parse.GetValue(name)!;
            var target = (await registry.ListAsync(modelName, ct)).FirstOrDefault(r => r.Version == parse.GetValue(version))
                ?? throw new UnknownVersionException(modelName, parse.GetValue(version)!);
            if (parse.GetValue(liveMargin) is { } margin)
            {
                var refusal = await LiveRefusalAsync(registry, dataSource, modelName, target.Version, margin, parse.GetValue(liveMetric)!, parse.GetValue(maturity), output, ct);
                if (refusal is not null)
                {
                    await error.WriteLineAsync($"error: {refusal}");
                    return ExitCodes.Failed;
                }
            }
            if (await VerifyAsync(configuration, target, "champion", error, ct) is { } refused)
            {
                return refused;
            }
            var challenger = await registry.GetChallengerAsync(modelName, ct);
            var row = await registry.PromoteAsync(modelName, target.Version, ct);
            await output.WriteLineAsync($"{row.ModelName} {row.Version} is champion");
            if (parse.GetValue(noAnnounce))
            {
                return ExitCodes.Ok;
            }
            var announced = await AnnounceAsync(configuration, registry, row, output, error, ct);
            return announced == ExitCodes.Ok && challenger is not null ? await WithdrawChallengerAsync(configuration, modelName, challenger.Version, output, error, ct) : announced;
        }, ct));

        var challengeVersion = new Argument<string?>("version") { Description = "the registered version to score in shadow beside the champion", Arity = ArgumentArity.ZeroOrOne };
        var none = new Option<bool>("--none") { Description = "end the challenge: scorers stop shadow scoring" };
        var challengeNoAnnounce = new Option<bool>("--no-announce") { Description = "change the registry only" };
        var challenge = new Command("challenge", "make a registered version (its stored artifact checked) the challenger, scored in shadow beside the champion, or end the challenge")
        {
            challengeVersion, none, pg, name, challengeNoAnnounce,
        };
        challenge.Validators.Add(r =>
        {
            if ((r.GetValue(challengeVersion) is null) != r.GetValue(none))
            {
                r.AddError("give a version, or --none to end the challenge");
            }
        });
        challenge.SetAction((parse, ct) => RunAsync(configuration, parse.GetValue(pg), error, async (registry, _) =>
        {
            var modelName = parse.GetValue(name)!;
            if (parse.GetValue(challengeVersion) is { } wanted)
            {
                var target = (await registry.ListAsync(modelName, ct)).FirstOrDefault(r => r.Version == wanted)
                    ?? throw new UnknownVersionException(modelName, wanted);
                if (await VerifyAsync(configuration, target, "challenger", error, ct) is { } refused)
                {
                    return refused;
                }
            }
            var row = await registry.ChallengeAsync(modelName, parse.GetValue(challengeVersion), ct);
            await output.WriteLineAsync(row is null ? $"{modelName} has no challenger" : $"{modelName} {row.Version} is the challenger");
            if (parse.GetValue(challengeNoAnnounce))
            {
                return ExitCodes.Ok;
            }
            return row is null
                ? await WithdrawChallengerAsync(configuration, modelName, "the challenger", output, error, ct)
                : await AnnounceAsync(configuration, registry, row, output, error, ct, challenger: true);
        }, ct));

        var rollbackNoAnnounce = new Option<bool>("--no-announce") { Description = "change the registry only (the next train run announces it)" };
        var rollback = new Command("rollback", "return to the previous champion (checked first) and announce it") { pg, name, rollbackNoAnnounce };
        rollback.SetAction((parse, ct) => RunAsync(configuration, parse.GetValue(pg), error, async (registry, _) =>
        {
            var model = parse.GetValue(name)!;
            var previous = await registry.GetPreviousChampionAsync(model, ct)
                ?? throw new InvalidOperationException($"model {model} has no previous champion to roll back to");
            if (await VerifyAsync(configuration, previous, "champion", error, ct) is { } refused)
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
        models.Subcommands.Add(challenge);
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

    /// <summary>Why the challenger may not be promoted on live labels; null when it beats the champion by the margin.</summary>
    private static async Task<string?> LiveRefusalAsync(ModelRegistry registry, Npgsql.NpgsqlDataSource dataSource, string modelName, string version,
        double margin, string metric, int maturityDays, TextWriter output, CancellationToken cancellationToken)
    {
        var champion = await registry.GetChampionAsync(modelName, cancellationToken);
        if (champion is null)
        {
            return $"{modelName} has no champion to compare {version} with on live labels";
        }
        var live = await LiveComparison.MeasureAsync(dataSource, champion.Version, version, maturityDays, cancellationToken);
        if (live is null)
        {
            return $"{version} is not promoted: no transaction both it (in shadow) and champion {champion.Version} scored has matured ({maturityDays} days) with both outcomes among them";
        }
        var inv = CultureInfo.InvariantCulture;
        var (ours, theirs) = (live.ChallengerMetric(metric), live.ChampionMetric(metric));
        var figures = string.Create(inv,
            $"{metric} {ours:F4} vs champion {champion.Version} {theirs:F4} on {live.Transactions} matured live transactions ({live.Frauds} frauds, as of {live.AsOf:u})");
        if (ours < theirs + margin)
        {
            return string.Create(inv, $"{version} is not promoted: {figures}; it must beat the champion by {margin}");
        }
        await output.WriteLineAsync($"live labels: {version} {figures}");
        return null;
    }

    private static async Task<int> RunAsync(IConfiguration configuration, string? pg, TextWriter error,
        Func<ModelRegistry, Npgsql.NpgsqlDataSource, Task<int>> action, CancellationToken cancellationToken)
    {
        var connectionString = TrainerCli.PostgresConnectionString(configuration, pg);
        return await CommandFailure.RunAsync(error, async () =>
        {
            await using var dataSource = await PostgresAccess.OpenAsync(connectionString, cancellationToken);
            return await action(new ModelRegistry(dataSource), dataSource);
        });
    }

    /// <summary>The version's stored artifact exists and matches its manifest; null when so, else the exit code.</summary>
    private static async Task<int?> VerifyAsync(IConfiguration configuration, ModelVersionRow row, string role, TextWriter error, CancellationToken cancellationToken)
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
            await error.WriteLineAsync($"error: {row.Version} not changed to {role}: its stored artifact fails its check ({ex.Code}): {ex.Message}");
            return ExitCodes.StoreFailed;
        }
    }

    /// <summary>The configured signer (null: unsigned, with a warning); false when the signing settings are bad (the error is written).</summary>
    private static async Task<(bool Ok, AnnouncementSigner? Signer)> SignerAsync(IConfiguration configuration, string what, TextWriter error)
    {
        AnnouncementSigner? signer;
        try
        {
            signer = AnnouncementSigner.From(TrainerCli.Bind<SigningOptions>(configuration, SigningOptions.Section));
        }
        catch (InvalidOperationException ex)
        {
            await error.WriteLineAsync($"error: {what} in the registry but NOT announced: {ex.Message}");
            return (false, null);
        }
        if (signer is null)
        {
            TrainerLog.Unsigned(TrainerLog.For(error));
        }
        return (true, signer);
    }

    private static async Task<int> AnnounceAsync(IConfiguration configuration, ModelRegistry registry, ModelVersionRow row, TextWriter output, TextWriter error,
        CancellationToken cancellationToken, bool challenger = false)
    {
        var kafka = TrainerCli.Bind<KafkaOptions>(configuration, KafkaOptions.Section);
        var role = challenger ? "challenger" : "champion";
        var (ok, signer) = await SignerAsync(configuration, $"{row.Version} is {role}", error);
        if (!ok)
        {
            return ExitCodes.BadUsage;
        }
        try
        {
            var manifest = ContractJson.DeserializeManifest(Encoding.UTF8.GetBytes(row.Manifest));
            using var announcer = new ModelAnnouncer(kafka, TimeSpan.FromSeconds(15), signer);
            var at = challenger ? await announcer.AnnounceChallengerAsync(manifest, cancellationToken) : await announcer.AnnounceAsync(manifest, cancellationToken);
            await output.WriteLineAsync($"announced {row.Version}{(challenger ? " as challenger" : "")} on {at}");
            if (!challenger)
            {
                await registry.MarkAnnouncedAsync(row.ModelName, row.Version, cancellationToken);
                await PushAnnouncedAsync(configuration, manifest, error);
            }
            return ExitCodes.Ok;
        }
        catch (KafkaException ex)
        {
            await error.WriteLineAsync(challenger
                ? $"error: {row.Version} is challenger in the registry but NOT announced on {kafka.ModelsTopic} ({kafka.BootstrapServers}): {ex.Error.Reason}"
                : $"error: {row.Version} is champion in the registry but NOT announced on {kafka.ModelsTopic} ({kafka.BootstrapServers}): {ex.Error.Reason}; the next train run announces it");
            return ExitCodes.KafkaFailed;
        }
    }

    private static async Task<int> WithdrawChallengerAsync(IConfiguration configuration, string modelName, string challenger, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        var kafka = TrainerCli.Bind<KafkaOptions>(configuration, KafkaOptions.Section);
        var (ok, signer) = await SignerAsync(configuration, "the challenge ended", error);
        if (!ok)
        {
            return ExitCodes.BadUsage;
        }
        try
        {
            using var announcer = new ModelAnnouncer(kafka, TimeSpan.FromSeconds(15), signer);
            var at = await announcer.WithdrawChallengerAsync(modelName, cancellationToken);
            await output.WriteLineAsync($"withdrew {challenger} from shadow scoring on {at}");
            return ExitCodes.Ok;
        }
        catch (KafkaException ex)
        {
            await error.WriteLineAsync($"error: the challenge ended in the registry but was NOT withdrawn on {kafka.ModelsTopic} ({kafka.BootstrapServers}): {ex.Error.Reason}");
            return ExitCodes.KafkaFailed;
        }
    }

    /// <summary>The hand-announced version becomes the trainer's reported model, so dashboards and alerts follow it.</summary>
    private static async Task PushAnnouncedAsync(IConfiguration configuration, ModelManifest manifest, TextWriter error)
    {
        var pushgateway = TrainerCli.Bind<PushgatewayOptions>(configuration, PushgatewayOptions.Section);
        if (pushgateway.Problem() is { } problem)
        {
            TrainerLog.MetricsNotPushed(TrainerLog.For(error), problem);
            return;
        }
        var metrics = new TrainingMetrics();
        metrics.Model(manifest, announced: true, []);
        await new MetricsPusher(pushgateway, error).PushAsync(manifest.ModelName, metrics);
    }
}
