using System.Runtime.CompilerServices;
using Fraud.Streaming.Shared.Contracts;
using Npgsql;

namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// History from the Monitoring tables with binary COPY, parsed straight from the COPY bytes: every transaction
/// in the order the pipeline needs, with its label when <paramref name="withLabels"/> (a transaction without a
/// label row is unlabelled, as with a left join). Streams the transactions; memory holds the labels, one buffer
/// of rows and the strings that repeat (cards, merchants, countries, ...).
/// </summary>
/// <remarks>
/// <para>Only the columns a transaction's features read are copied (<c>ip</c>, <c>email_domain</c> and
/// <c>attributes</c> are not: no feature uses them, and every copied byte costs the server and the parser).</para>
/// <para>Labels are a second COPY into a <see cref="LabelIndex"/> rather than a join in the query: Postgres
/// cannot keep the index order through a hash join, so the join cost a full sort of the history, three times
/// the whole read.</para>
/// </remarks>
internal sealed class PostgresHistorySource(NpgsqlDataSource dataSource, bool withLabels = true) : IHistorySource
{
    // COLLATE "C" orders ids by bytes, like the ordinal sort of file mode, whatever the database's collation;
    // the index of migration 0002 has exactly this order, so Postgres walks it instead of sorting.
    public const string TransactionsQuery = """
        COPY (
            SELECT transaction_id, card_id, event_time, merchant_id, merchant_category, amount,
                   currency, country, channel, device_id
            FROM transactions
            ORDER BY event_time, transaction_id COLLATE "C"
        ) TO STDOUT (FORMAT BINARY)
        """;

    public const string LabelsQuery = "COPY labels (transaction_id, is_fraud) TO STDOUT (FORMAT BINARY)";

    private const int TransactionColumns = 10;
    private const int BatchRows = 4096;

    public string Description => withLabels ? "postgres transactions + labels" : "postgres transactions";

    public async IAsyncEnumerable<HistoryRow> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Both COPYs in one snapshot, so rows and labels written meanwhile are in both or in neither.
        await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var labels = withLabels ? await ReadLabelsAsync(connection, cancellationToken) : null;
        await using var copy = await connection.BeginRawBinaryCopyAsync(TransactionsQuery, cancellationToken);
        foreach (var row in Parse(copy, labels, cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>The rows of a binary COPY of <see cref="TransactionsQuery"/>, each with its label from <paramref name="labels"/>.</summary>
    /// <exception cref="InvalidDataException">the bytes are not that COPY's output.</exception>
    public static IEnumerable<HistoryRow> Parse(Stream copy, LabelIndex? labels, CancellationToken cancellationToken)
    {
        var state = new TransactionState(labels);
        using var stream = new PgBinaryCopyStream(copy, TransactionColumns);
        while (!stream.Finished)
        {
            cancellationToken.ThrowIfCancellationRequested();
            stream.ReadRows(ReadTransaction, state);
            foreach (var row in state.Rows)
            {
                yield return row;
            }
            state.Rows.Clear();
        }
    }

    internal static async Task<LabelIndex> ReadLabelsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var labels = new LabelIndex();
        await using var copy = await connection.BeginRawBinaryCopyAsync(LabelsQuery, cancellationToken);
        using var stream = new PgBinaryCopyStream(copy, 2);
        while (!stream.Finished)
        {
            cancellationToken.ThrowIfCancellationRequested();
            stream.ReadRows(ReadLabel, labels);
        }
        return labels;
    }

    private static void ReadLabel(ref PgBinaryCopyParser row, LabelIndex labels)
    {
        var id = row.NotNull("labels.transaction_id");
        labels.Set(id, row.Bool() ?? throw new InvalidDataException($"label of {Utf8StringPool.Decode(id)} has a NULL is_fraud"));
    }

    private static void ReadTransaction(ref PgBinaryCopyParser row, TransactionState state)
    {
        var pool = state.Strings;
        var id = row.NotNull("transaction_id");
        bool? isFraud = state.Labels is { } labels && labels.TryGet(id, out var label) ? label : null;
        var transaction = new Transaction
        {
            TransactionId = Utf8StringPool.Decode(id),
            CardId = pool.Get(row.NotNull("card_id")),
            EventTime = new DateTimeOffset(row.TimestampTicks("event_time"), TimeSpan.Zero),
            MerchantId = pool.Get(row.NotNull("merchant_id")),
            MerchantCategory = pool.Get(row.NotNull("merchant_category")),
            Amount = row.Float8("amount"),
            Currency = pool.Get(row.NotNull("currency")),
            Country = pool.Get(row.NotNull("country")),
            Channel = pool.Get(row.NotNull("channel")),
            DeviceId = row.Field(out var noDevice) is var device && noDevice ? null : pool.Get(device),
        };
        state.Rows.Add(new HistoryRow(transaction, isFraud));
    }

    private sealed class TransactionState(LabelIndex? labels)
    {
        public LabelIndex? Labels { get; } = labels;
        public Utf8StringPool Strings { get; } = new();
        public List<HistoryRow> Rows { get; } = new(BatchRows);
    }
}
