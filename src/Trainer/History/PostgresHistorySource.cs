using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Npgsql;

namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// History from the Monitoring tables with binary COPY, parsed straight from the COPY bytes: every transaction
/// in the order the pipeline needs, with its label when <paramref name="withLabels"/> (a transaction without a
/// label row is unlabelled, as with a left join). Streams the transactions in reused <see cref="HistoryBatch"/>es;
/// memory holds the labels, the batches in flight and one entry per distinct channel and category.
/// </summary>
/// <remarks>
/// <para>Only the columns a transaction's features read are copied (<c>currency</c>, <c>ip</c>, <c>email_domain</c>
/// and <c>attributes</c> are not: no feature uses them, and every copied byte costs the server and the parser).</para>
/// <para>No string is made per row: cards, merchants, countries and devices are hashed from their bytes
/// (<see cref="Utf8Keys"/>), channels and categories go through a <see cref="Utf8Interner{T}"/> to their codes,
/// computed once per distinct value by the functions the scorer applies to its strings; the transaction id stays
/// as bytes.</para>
/// <para>Labels are a second COPY into a <see cref="LabelIndex"/> rather than a join in the query: Postgres
/// cannot keep the index order through a hash join, so the join cost a full sort of the history, three times
/// the whole read.</para>
/// </remarks>
/// <para>Rows are held to the contract's bounds as they are read (amount within <see cref="ContractLimits.MaxAmount"/>,
/// event time within the window): a row written before those checks existed is left out and reported in
/// <see cref="Refusals"/>, so it cannot fail a whole training run.</para>
internal sealed class PostgresHistorySource(NpgsqlDataSource dataSource, bool withLabels = true, TimeSpan? maxFutureSkew = null) : IHistorySource
{
    // COLLATE "C" orders ids by bytes, as HistoryOrder does; the index of migration 0002 has exactly this order,
    // so Postgres walks it instead of sorting.
    public const string TransactionsQuery = """
        COPY (
            SELECT transaction_id, card_id, event_time, merchant_id, merchant_category, amount,
                   country, channel, device_id
            FROM transactions
            ORDER BY event_time, transaction_id COLLATE "C"
        ) TO STDOUT (FORMAT BINARY)
        """;

    public const string LabelsQuery = "COPY labels (transaction_id, is_fraud, labelled_at, first_fraud_at) TO STDOUT (FORMAT BINARY)";

    private const int TransactionColumns = 9;

    /// <summary>Batches parsed ahead of the consumer.</summary>
    private const int AheadBatches = 4;

    public string Description => withLabels ? "postgres transactions + labels" : "postgres transactions";

    public HistoryRefusals Refusals { get; } = new();

    public async IAsyncEnumerable<HistoryBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Both COPYs in one snapshot, so rows and labels written meanwhile are in both or in neither.
        await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var labels = withLabels ? await ReadLabelsAsync(connection, cancellationToken) : null;
        await using var copy = await connection.BeginRawBinaryCopyAsync(TransactionsQuery, cancellationToken);
        var window = EventTimeWindow.Now(maxFutureSkew ?? ContractLimits.DefaultMaxFutureSkew);
        await foreach (var batch in ReadAhead(copy, labels, cancellationToken, window, Refusals))
        {
            yield return batch;
        }
    }

    /// <summary>
    /// <see cref="Parse"/> on a thread of its own, up to <see cref="AheadBatches"/> batches ahead of the consumer, so
    /// reading and parsing the COPY overlap with whatever the consumer does with the rows (the features), as
    /// Postgres producing them overlaps with both. A batch is the consumer's until it asks for the next one.
    /// </summary>
    internal static async IAsyncEnumerable<HistoryBatch> ReadAhead(Stream copy, LabelIndex? labels, [EnumeratorCancellation] CancellationToken cancellationToken,
        EventTimeWindow? window = null, HistoryRefusals? refusals = null)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var free = new BlockingCollection<HistoryBatch>();
        using var filled = new BlockingCollection<HistoryBatch>();
        for (var i = 0; i < AheadBatches + 2; i++)
        {
            free.Add(new HistoryBatch(), CancellationToken.None);
        }
        var producer = Task.Factory.StartNew(() =>
        {
            try
            {
                foreach (var batch in Parse(copy, labels, stop.Token, () => free.Take(stop.Token), window, refusals))
                {
                    filled.Add(batch, stop.Token);
                }
            }
            finally
            {
                filled.CompleteAdding();
            }
        }, stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            HistoryBatch? held = null;
            while (filled.TryTake(out var batch, Timeout.Infinite, cancellationToken))
            {
                if (held is not null)
                {
                    held.Clear();
                    free.Add(held, cancellationToken);
                }
                held = batch;
                yield return batch;
            }
            await producer; // the producer's error, if it failed
        }
        finally
        {
            // Stopped early (the consumer failed or was cancelled): the producer must be off the stream before it is disposed.
            await stop.CancelAsync();
            try
            {
                await producer;
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                // Ended because it was told to; the consumer's own error, if any, is what propagates.
            }
        }
    }

    /// <summary>The rows of a binary COPY of <see cref="TransactionsQuery"/>, each with its label from <paramref name="labels"/>, a batch at a time.</summary>
    /// <param name="nextBatch">an empty batch to fill after one is handed out; null refills the same batch.</param>
    /// <exception cref="InvalidDataException">the bytes are not that COPY's output.</exception>
    /// <param name="window">event times outside it are refused (into <paramref name="refusals"/>); every time from the floor on when null.</param>
    public static IEnumerable<HistoryBatch> Parse(Stream copy, LabelIndex? labels, CancellationToken cancellationToken, Func<HistoryBatch>? nextBatch = null,
        EventTimeWindow? window = null, HistoryRefusals? refusals = null)
    {
        var reader = new TransactionReader(labels, nextBatch?.Invoke() ?? new HistoryBatch(), window ?? EventTimeWindow.FloorOnly, refusals ?? new HistoryRefusals());
        using var stream = new PgBinaryCopyStream(copy, TransactionColumns);
        while (!stream.Finished)
        {
            cancellationToken.ThrowIfCancellationRequested();
            stream.ReadRows(ReadTransaction, reader);
            if (reader.Batch.IsFull)
            {
                yield return reader.Batch;
                if (nextBatch is null)
                {
                    reader.Batch.Clear();
                }
                else
                {
                    reader.Batch = nextBatch();
                }
            }
        }
        if (reader.Batch.Count > 0)
        {
            yield return reader.Batch;
        }
    }

    internal static async Task<LabelIndex> ReadLabelsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var labels = new LabelIndex();
        await using var copy = await connection.BeginRawBinaryCopyAsync(LabelsQuery, cancellationToken);
        using var stream = new PgBinaryCopyStream(copy, 4);
        while (!stream.Finished)
        {
            cancellationToken.ThrowIfCancellationRequested();
            stream.ReadRows(ReadLabel, labels);
        }
        return labels;
    }

    private static bool ReadLabel(ref PgBinaryCopyParser row, LabelIndex labels)
    {
        var id = row.NotNull("labels.transaction_id");
        var isFraud = row.Bool() ?? throw new InvalidDataException($"label of {Utf8Text.Decode(id)} has a NULL is_fraud");
        var labelled = row.TimestampTicks("labels.labelled_at");
        var firstFraud = row.NullableTimestampTicks("labels.first_fraud_at") ?? long.MaxValue;
        labels.Set(id, new LabelFacts(labelled, isFraud, isFraud ? Math.Min(firstFraud, labelled) : firstFraud));
        return true;
    }

    /// <summary>Adds the row to the batch; false (stop) once the batch is full.</summary>
    private static bool ReadTransaction(ref PgBinaryCopyParser row, TransactionReader reader)
    {
        var id = row.NotNull("transaction_id");
        if (!Utf8Text.IsValid(id))
        {
            throw new InvalidDataException("history text is not valid UTF-8 (a transaction id)");
        }
        var card = Utf8Keys.Key64(row.NotNull("card_id"));
        var ticks = row.TimestampTicks("event_time");
        var merchant = row.NotNull("merchant_id");
        var category = reader.Categories.Get(row.NotNull("merchant_category"));
        var amount = row.Float8("amount");
        var country = Utf8Keys.Hash32(row.NotNull("country"));
        var channel = reader.Channels.Get(row.NotNull("channel"));
        var device = row.Field(out var noDevice);
        if (!(amount is >= 0 and <= ContractLimits.MaxAmount) || !reader.Window.Contains(new DateTimeOffset(ticks, TimeSpan.Zero)))
        {
            // The same bounds the validators apply to messages: such a row would make features (and the model) non-finite.
            reader.Refusals.Add($"transaction {Utf8Text.Decode(id)}", !(amount is >= 0 and <= ContractLimits.MaxAmount)
                ? string.Create(CultureInfo.InvariantCulture, $"invalid_amount: amount {amount} is not in [0, {ContractLimits.MaxAmount}]")
                : $"invalid_event_time: {reader.Window.Describe("event_time", new DateTimeOffset(ticks, TimeSpan.Zero))}");
            return true;
        }
        var input = new FeatureInput(
            EventMs: new DateTimeOffset(ticks, TimeSpan.Zero).ToUnixTimeMilliseconds(),
            Amount: amount,
            CardKey: card,
            MerchantKey: Utf8Keys.Key64(merchant),
            MerchantHash: Utf8Keys.Hash32(merchant),
            CountryHash: country,
            DeviceHash: noDevice ? reader.NoDeviceHash : Utf8Keys.Hash32(device),
            DeviceKey: noDevice ? 0 : Utf8Keys.Key64(device),
            HasDevice: !noDevice,
            Channel: channel,
            Category: category.Code,
            HighRiskCategory: category.HighRisk);
        var facts = reader.Labels is { } labels && labels.TryGet(id, out var label) ? label : LabelFacts.None;
        reader.Batch.Add(input, ticks, id, facts);
        return !reader.Batch.IsFull;
    }

    /// <summary>One COPY's parsing state: the batch being filled and the reductions of every text seen so far.</summary>
    private sealed class TransactionReader(LabelIndex? labels, HistoryBatch batch, EventTimeWindow window, HistoryRefusals refusals)
    {
        public EventTimeWindow Window { get; } = window;
        public HistoryRefusals Refusals { get; } = refusals;
        public LabelIndex? Labels { get; } = labels;
        public HistoryBatch Batch { get; set; } = batch;
        public Utf8Interner<(int Code, bool HighRisk)> Categories { get; } = new(c => (FeatureInput.CategoryCodeOf(c), FeatureInput.IsHighRiskCategory(c)));
        public Utf8Interner<int> Channels { get; } = new(FeatureInput.ChannelCodeOf);
        public int NoDeviceHash { get; } = FeatureInput.TextHashOf(string.Empty);
    }
}
