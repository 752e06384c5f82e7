using System.CommandLine;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Contracts;
using Microsoft.Extensions.Options;

namespace Fraud.Streaming.Scorer;

/// <summary>The command line: <c>run</c> (the streaming worker) and <c>score-file</c> (the same pipeline on a JSONL file).</summary>
internal static class ScorerCommands
{
    public static RootCommand Build()
    {
        var run = new Command("run", "Consume transactions from Kafka, score them and publish verdicts. " +
            "Other arguments go to the host configuration: --urls, --Kafka:BootstrapServers=..., --Scorer:InitialModel=DIR.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        run.SetAction((parse, _) => RunWorkerAsync([.. parse.UnmatchedTokens]));

        var model = new Option<string>("--model") { Description = "Model package folder (manifest.json + model.onnx).", Required = true };
        var input = new Option<string>("--input") { Description = "Transactions, one JSON object per line.", Required = true };
        var output = new Option<string>("--output") { Description = "Verdicts JSONL to write.", Required = true };
        var dlq = new Option<string?>("--dlq") { Description = "Write rejected lines here (JSONL with line number, reason, raw text)." };
        var features = new Option<string?>("--emit-features") { Description = "Write {\"transaction_id\", \"features\"} per scored transaction." };
        var batchSize = new Option<int>("--batch-size") { Description = "Transactions per inference call.", DefaultValueFactory = _ => 512 };
        var cardIdleDays = new Option<int>("--card-idle-days")
        {
            Description = "A card idle for longer (event time) starts afresh; part of the feature spec, as in the trainer.",
            DefaultValueFactory = _ => Shared.Features.FeatureSpec.DefaultCardIdleDays,
        };
        var labels = new Option<string?>("--labels") { Description = "Labels JSONL: the fraud reports the merchant/device features count." };
        var entityLagHours = new Option<int>("--entity-lag-hours")
        {
            Description = "Merchant/device features read whole days that ended at least this many hours before the transaction; part of the feature spec.",
            DefaultValueFactory = _ => Shared.Features.Entities.EntityFeatures.DefaultLagHours,
        };
        var reportHorizonDays = new Option<int>("--report-horizon-days")
        {
            Description = "A fraud report about an older transaction is not attributed; part of the feature spec.",
            DefaultValueFactory = _ => Shared.Features.Entities.EntityFeatures.DefaultReportHorizonDays,
        };
        var spec = new Option<string>("--spec")
        {
            Description = "Feature spec: card-entity-v1 (card, merchant and device features) or card-v1 (card features only), as the model's.",
            DefaultValueFactory = _ => "card-entity-v1",
        };
        spec.AcceptOnlyFromAmong([.. Shared.Features.FeatureSpec.Served]);
        var reasonsFor = new Option<string>("--reasons-for")
        {
            Description = "Which verdicts carry reason codes (TreeSHAP): flagged (review and decline), all or none.",
            DefaultValueFactory = _ => "flagged",
        };
        reasonsFor.AcceptOnlyFromAmong("flagged", "all", "none");
        var scoreFile = new Command("score-file", "Score a JSONL file of transactions with a model package, offline.")
        {
            model, input, output, dlq, features, batchSize, cardIdleDays, labels, entityLagHours, reportHorizonDays, spec, reasonsFor,
        };
        scoreFile.SetAction((parse, cancellationToken) => ScoreFile.RunAsync(
            new ScoreFileRequest(parse.GetValue(model)!, parse.GetValue(input)!, parse.GetValue(output)!,
                parse.GetValue(dlq), parse.GetValue(features), parse.GetValue(batchSize), parse.GetValue(cardIdleDays),
                parse.GetValue(labels), parse.GetValue(entityLagHours), parse.GetValue(reportHorizonDays), parse.GetValue(spec)!,
                Validation().MaxFutureSkew, ReasonsFor: Enum.Parse<ReasonScope>(parse.GetValue(reasonsFor)!, ignoreCase: true)),
            Console.Out, Console.Error, cancellationToken));

        return new RootCommand("Fraud.Streaming scorer") { run, scoreFile };
    }

    /// <summary>The <c>Validation</c> section from the environment (<c>Validation__MaxFutureSkew</c>), as the worker reads it.</summary>
    private static ValidationOptions Validation()
    {
        var options = new ValidationOptions();
        new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection(ValidationOptions.Section).Bind(options);
        return options;
    }

    private static async Task<int> RunWorkerAsync(string[] hostArgs)
    {
        try
        {
            await using var app = ScorerHosting.Build(hostArgs);
            var status = app.Services.GetRequiredService<ScorerStatus>();
            await app.RunAsync();
            return status.IsHealthy ? ExitCodes.Ok : ExitCodes.Failed;
        }
        catch (OptionsValidationException ex)
        {
            // Options are validated while the host is built and at start: a bad setting stops the process at
            // once, named in one line, not a stack trace.
            await Console.Error.WriteLineAsync($"error: invalid configuration: {string.Join("; ", ex.Failures)}");
            return ExitCodes.BadUsage;
        }
    }
}
