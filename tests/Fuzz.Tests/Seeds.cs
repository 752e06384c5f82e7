using System.Text.Json;
using Fraud.Streaming.DataSets.Synthetic;
using Fraud.Streaming.Scorer;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Fuzz.Tests;

/// <summary>Real messages to mutate: the synthetic world's transactions and labels, the verdicts scored from them, a manifest.</summary>
internal static class Seeds
{
    private static readonly (List<Transaction> Transactions, List<Label> Labels) World = Build();

    public static IReadOnlyList<Transaction> Transactions => World.Transactions;

    public static IReadOnlyList<Label> Labels => World.Labels;

    /// <summary>Every seed message with its kind.</summary>
    public static IReadOnlyList<(MessageKind Kind, byte[] Bytes)> Messages { get; } =
    [
        .. Transactions.Select(t => (MessageKind.Transaction, ContractJson.Serialize(t))),
        .. Labels.Select(l => (MessageKind.Label, ContractJson.Serialize(l))),
        .. Verdicts().Select(v => (MessageKind.Verdict, ContractJson.Serialize(v))),
        (MessageKind.Manifest, ContractJson.Serialize(FuzzModels.Manifest("fuzz-seed", _ => (0.5f, 1f, -1f, 10f)))),
    ];

    private static (List<Transaction>, List<Label>) Build()
    {
        var generator = new SyntheticGenerator(new SyntheticSettings { Count = 1000, Cards = 8, Merchants = 10, Seed = 5, FraudRate = 0.2 });
        var events = Enumerable.Range(0, 24).Select(_ => generator.Next()).ToList();
        List<Label> labels = [.. events.Select(e => e.Label)];
        var transactions = events.Select(e => e.Transaction).ToList();
        // A dataset replay carries open attributes: numbers, strings, booleans, nesting.
        transactions.Add(transactions[0] with
        {
            TransactionId = "seed-attributes",
            Attributes = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{"V1":1.5,"id_30":"Android 7","M4":true,"C":[1,2,{"d":null}]}"""),
        });
        return (transactions, labels);
    }

    private static Verdict[] Verdicts()
    {
        var scorer = new BatchScorer(Transactions.Count, FuzzModels.Spec);
        foreach (var t in Transactions)
        {
            scorer.Add(t, Downstream.Now);
        }
        return scorer.Score(FuzzModels.All[0], Downstream.Now).ToArray();
    }
}
