using System.Globalization;
using System.Runtime.CompilerServices;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features.Vocabularies;

namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// History from the producer's JSONL files: one contract-v1 transaction per line, one label per line, read with the
/// shared <see cref="JsonlReader"/> and checked by the shared validators (times against the wall clock plus
/// <paramref name="maxFutureSkew"/>). A line the contract refuses, and a transaction id seen on an earlier line, is left
/// out and reported (<see cref="Refusals"/>); every label of a transaction is folded into its <see cref="LabelFacts"/>
/// (latest label, earliest fraud report). Loads both, then sorts.
/// </summary>
/// <param name="layout">the encoding slots to read (the declared attributes); the categorical fields only when null.</param>
internal sealed class JsonlHistorySource(string transactionsPath, string? labelsPath, TimeSpan? maxFutureSkew = null, EncodingLayout? layout = null) : IHistorySource
{
    private readonly EventTimeWindow _window = EventTimeWindow.Now(maxFutureSkew ?? ContractLimits.DefaultMaxFutureSkew);

    public string Description => labelsPath is null
        ? $"file {Path.GetFileName(transactionsPath)}"
        : $"files {Path.GetFileName(transactionsPath)} + {Path.GetFileName(labelsPath)}";

    public HistoryRefusals Refusals { get; } = new();

    /// <summary>Labels whose transaction is not in the transactions file (known after reading).</summary>
    public int OrphanLabels { get; private set; }

    public async IAsyncEnumerable<HistoryReadBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, LabelFacts>(StringComparer.Ordinal);
        if (labelsPath is not null)
        {
            await foreach (var label in ReadAsync(labelsPath, static (ReadOnlySpan<byte> line, in EventTimeWindow w, out Label? l, out RejectReason r) =>
                LabelValidator.TryParse(line, w, out l, out r), cancellationToken))
            {
                ref var facts = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(labels, label.TransactionId, out var exists);
                facts = (exists ? facts : LabelFacts.None).With(label.IsFraud, label.LabelledAt.UtcTicks);
            }
        }

        var transactions = new List<Transaction>();
        var firstLine = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var t in ReadAsync(transactionsPath, static (ReadOnlySpan<byte> line, in EventTimeWindow w, out Transaction? t, out RejectReason r) =>
            TransactionValidator.TryParse(line, w, out t, out r), cancellationToken))
        {
            transactions.Add(t);
        }
        transactions = transactions.Where(t => firstLine.TryAdd(t.TransactionId, 0) || Repeated(t)).ToList();
        transactions.Sort(HistoryOrder.Compare);
        OrphanLabels = labels.Keys.Count(id => !firstLine.ContainsKey(id));

        var batch = new HistoryReadBatch(HistoryReadBatch.DefaultCapacity, layout);
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

    private bool Repeated(Transaction t)
    {
        Refusals.Add($"{Path.GetFileName(transactionsPath)} {t.TransactionId}", "duplicate_transaction_id: the id is on an earlier line");
        return false;
    }

    private delegate bool Parser<T>(ReadOnlySpan<byte> line, in EventTimeWindow window, out T? value, out RejectReason reason) where T : class;

    private async IAsyncEnumerable<T> ReadAsync<T>(string path, Parser<T> parse, [EnumeratorCancellation] CancellationToken cancellationToken) where T : class
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var lines = new JsonlReader(stream);
        while (await lines.ReadAsync(cancellationToken))
        {
            var where = string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(path)}:{lines.LineNumber}");
            if (lines.TooLong)
            {
                Refusals.Add(where, $"too_large: the line is {lines.Length} bytes long");
                continue;
            }
            if (parse(lines.Current.Span, _window, out var value, out var reason))
            {
                yield return value!;
            }
            else
            {
                Refusals.Add(where, $"{reason.CodeName}: {reason.Detail}");
            }
        }
    }
}
