using System.Text;
using Fraud.Streaming.Monitoring.History;
using Fraud.Streaming.Scorer;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Trainer.History;
using Fraud.Streaming.Trainer.Publishing;
using Fraud.Streaming.Trainer.Training;

namespace Fraud.Streaming.Fuzz.Tests;

/// <summary>
/// Everything that happens to a message after the contract accepted it — features, inference, reasons, the verdict's
/// JSON (and Monitoring accepting that verdict), history rows, the training table and the manifest statistics built
/// from it — run in process. The invariant the fuzzers hold the code to: none of it throws, and every number that
/// leaves it is finite.
/// </summary>
internal static class Downstream
{
    /// <summary>The clock the whole run judges times by, as the consumers do.</summary>
    public static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public static EventTimeWindow Window { get; } = EventTimeWindow.At(Now, ContractLimits.DefaultMaxFutureSkew);

    /// <summary>The merchant and device totals every scoring run reads (the entity features are on the path too).</summary>
    private static readonly Shared.Features.Entities.EntityTable Entities = FuzzModels.Entities(Seeds.Transactions);

    /// <summary>Parses a message of the given kind; whatever the contract accepts goes the rest of the way.</summary>
    /// <returns>whether the contract accepted it.</returns>
    public static bool Check(MessageKind kind, byte[] bytes, int model = 0)
    {
        switch (kind)
        {
            case MessageKind.Transaction when TransactionValidator.TryParse(bytes, Window, out var t, out _):
                Transactions([t], model);
                return true;
            case MessageKind.Verdict when VerdictValidator.TryParse(bytes, Window, out var v, out _):
                HistoryRows.From([new HistoryMessage { Source = new SourcePosition("v", 0, 0), Payload = bytes, Verdict = v }]);
                return true;
            case MessageKind.Label when LabelValidator.TryParse(bytes, Window, out var l, out _):
                HistoryRows.From([new HistoryMessage { Source = new SourcePosition("l", 0, 0), Payload = bytes, Label = l }]);
                return true;
            case MessageKind.Manifest when ManifestValidator.TryParse(bytes, Window, out var m, out _):
                Manifest(m);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Scores the transactions (in order, one batch), writes their history rows and builds a training table from them.</summary>
    public static void Transactions(IReadOnlyList<Transaction> accepted, int model)
    {
        if (accepted.Count == 0)
        {
            return;
        }
        var loaded = FuzzModels.All[model % FuzzModels.All.Length];
        var scorer = new BatchScorer(accepted.Count, FuzzModels.Spec, Entities);
        foreach (var t in accepted)
        {
            scorer.Add(t, Now);
        }
        var verdicts = scorer.Score(loaded, Now).ToArray();
        var messages = new List<HistoryMessage>();
        for (var i = 0; i < accepted.Count; i++)
        {
            Finite(scorer.FeaturesAt(i), $"features of {accepted[i].TransactionId}");
            var verdict = ContractJson.Serialize(verdicts[i]);
            if (!VerdictValidator.TryParse(verdict, Window, out _, out var refused))
            {
                throw new InvalidOperationException($"Monitoring refuses the scorer's verdict ({refused.CodeName}: {refused.Detail}): {Encoding.UTF8.GetString(verdict)}");
            }
            var label = new Label { TransactionId = accepted[i].TransactionId, CardId = accepted[i].CardId, IsFraud = i % 2 == 0, LabelledAt = accepted[i].EventTime, Source = "fuzz" };
            messages.Add(new HistoryMessage { Source = new SourcePosition("t", 0, i), Payload = ContractJson.Serialize(accepted[i]), Transaction = accepted[i] });
            messages.Add(new HistoryMessage { Source = new SourcePosition("v", 0, i), Payload = verdict, Verdict = verdicts[i] });
            messages.Add(new HistoryMessage { Source = new SourcePosition("l", 0, i), Payload = ContractJson.Serialize(label), Label = label });
        }
        HistoryRows.From(messages);
        Training(accepted);
    }

    private static void Training(IReadOnlyList<Transaction> accepted)
    {
        var builder = new FeatureTableBuilder(FuzzModels.Spec);
        var labelled = 0;
        foreach (var t in accepted.OrderBy(t => t, Comparer<Transaction>.Create(HistoryOrder.Compare)))
        {
            builder.Add(HistoryRow.Of(t, labelled++ % 3 == 0 ? null : labelled % 2 == 0));
        }
        var table = builder.Build();
        Finite(table.Features, "training table");
        if (table.RowCount == 0)
        {
            return;
        }
        var reference = FeatureReferences.Compute(table, FuzzModels.Spec.Names);
        var manifest = FuzzModels.Manifest("fuzz-trained", i => (reference[i].Mean, reference[i].StdDev, reference[i].Min, reference[i].Max));
        if (!ManifestValidator.Validate(manifest, Window, out var invalid))
        {
            throw new InvalidOperationException($"the trainer's own statistics make a manifest the contract refuses: {invalid.Detail}");
        }
        ContractJson.Serialize(manifest);
    }

    /// <summary>A manifest the contract accepted loads or is refused with a reason, and scores finite verdicts when it loads.</summary>
    private static void Manifest(ModelManifest manifest)
    {
        LoadedModel model;
        try
        {
            model = LoadedModel.Create(manifest, FuzzModels.Onnx, FuzzModels.Spec);
        }
        catch (ModelRejectedException)
        {
            return;
        }
        using (model)
        {
            var scorer = new BatchScorer(4, FuzzModels.Spec, Entities);
            foreach (var t in Seeds.Transactions.Take(4))
            {
                scorer.Add(t, Now);
            }
            foreach (var verdict in scorer.Score(model, Now))
            {
                ContractJson.Serialize(verdict);
            }
        }
    }

    private static void Finite(ReadOnlySpan<float> values, string what)
    {
        foreach (var value in values)
        {
            if (!float.IsFinite(value))
            {
                throw new InvalidOperationException($"{what}: {value}");
            }
        }
    }
}

/// <summary>Which contract a message claims to follow.</summary>
internal enum MessageKind
{
    Transaction,
    Verdict,
    Label,
    Manifest,
}
