using System.Runtime.CompilerServices;
using System.Text.Json;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features.Vocabularies;

namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// History from the producer's JSONL files: one contract-v1 transaction per line, one label per line.
/// Loads both, keeps the first copy of a repeated transaction and folds every label of a transaction into its
/// <see cref="LabelFacts"/> (latest label, earliest fraud report), and sorts.
/// </summary>
/// <param name="layout">the encoding slots to read (the declared attributes); the categorical fields only when null.</param>
internal sealed class JsonlHistorySource(string transactionsPath, string? labelsPath, EncodingLayout? layout = null) : IHistorySource
{
    public string Description => labelsPath is null
        ? $"file {Path.GetFileName(transactionsPath)}"
        : $"files {Path.GetFileName(transactionsPath)} + {Path.GetFileName(labelsPath)}";

    /// <summary>Labels whose transaction is not in the transactions file (known after reading).</summary>
    public int OrphanLabels { get; private set; }

    public async IAsyncEnumerable<HistoryBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, LabelFacts>(StringComparer.Ordinal);
        if (labelsPath is not null)
        {
            await foreach (var (line, number) in ReadLinesAsync(labelsPath, cancellationToken))
            {
                var label = Parse(labelsPath, number, () => ContractJson.DeserializeLabel(line));
                ref var facts = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(labels, label.TransactionId, out var exists);
                facts = (exists ? facts : LabelFacts.None).With(label.IsFraud, label.LabelledAt.UtcTicks);
            }
        }

        var transactions = new List<Transaction>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var (line, number) in ReadLinesAsync(transactionsPath, cancellationToken))
        {
            var t = Parse(transactionsPath, number,
                () => JsonSerializer.Deserialize(line, ContractsJsonContext.Default.Transaction) ?? throw new JsonException("transaction is null"));
            if (seen.Add(t.TransactionId))
            {
                transactions.Add(t);
            }
        }
        transactions.Sort(HistoryOrder.Compare);
        OrphanLabels = labels.Keys.Count(id => !seen.Contains(id));

        var batch = new HistoryBatch(HistoryBatch.DefaultCapacity, layout);
        foreach (var t in transactions)
        {
            batch.Add(t, labels.TryGetValue(t.TransactionId, out var facts) ? facts : LabelFacts.None);
            if (batch.IsFull)
            {
                yield return batch;
                batch.Clear();
            }
        }
        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private static T Parse<T>(string path, int line, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}:{line}: {ex.Message}", ex);
        }
    }

    private static async IAsyncEnumerable<(byte[] Line, int Number)> ReadLinesAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path);
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return (System.Text.Encoding.UTF8.GetBytes(line), number);
            }
        }
    }
}
