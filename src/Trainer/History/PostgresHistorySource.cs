using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Features.Vocabularies;
using Npgsql;

namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// History from the Monitoring tables with binary COPY, parsed straight from the COPY bytes: every transaction
/// in the order the pipeline needs, with its label when <paramref name="withLabels"/> (a transaction without a
/// label row is unlabelled, as with a left join). Streams the transactions in reused <see cref="HistoryReadBatch"/>es;
/// memory holds the labels, the batches in flight and one entry per distinct channel, category, country, currency and
/// email domain.
/// </summary>
/// <remarks>
/// <para>Only the columns a transaction's features read are copied (<c>ip</c> is not, and <c>attributes</c> only when
/// the encoding declares attributes: every copied byte costs the server and the parser).</para>
/// <para>No string is made per row: cards, merchants and devices are hashed from their bytes (<see cref="Utf8Keys"/>),
/// channels, categories, countries, currencies and email domains go through a <see cref="Utf8Interner{T}"/> to their
/// hashes and vocabulary keys, computed once per distinct value by the functions the scorer applies to its strings (and
/// noted in <see cref="ValueNames"/> then); the transaction id stays as bytes. Declared attributes are read from the
/// row's <c>jsonb</c> with the scorer's function per value (<see cref="EncodingLayout.Slot"/>).</para>
/// <para>Labels are a second COPY into a <see cref="LabelIndex"/> rather than a join in the query: Postgres
/// cannot keep the index order through a hash join, so the join cost a full sort of the history, three times
/// the whole read.</para>
/// <para>Rows are held to the contract's bounds as they are read (amount within <see cref="ContractLimits.MaxAmount"/>,
/// event time within the window): a row written before those checks existed is left out and reported in
/// <see cref="Refusals"/>, so it cannot fail a whole training run.</para>
/// </remarks>
/// <param name="layout">the encoding slots to read (the declared attributes); the categorical fields only when null.</param>
internal sealed class PostgresHistorySource(NpgsqlDataSource dataSource, bool withLabels = true, TimeSpan? maxFutureSkew = null,
    EncodingLayout? layout = null) : IHistorySource
{
    // COLLATE "C" orders ids by bytes, as HistoryOrder does; the index of migration 0002 has exactly this order,
    // so Postgres walks it instead of sorting.
    public const string TransactionsQuery = """
        COPY (
            SELECT transaction_id, card_id, event_time, merchant_id, merchant_category, amount,
                   country, channel, device_id, currency, email_domain
            FROM transactions
            ORDER BY event_time, transaction_id COLLATE "C"
        ) TO STDOUT (FORMAT BINARY)
        """;

    /// <summary><see cref="TransactionsQuery"/> with the <c>attributes</c> column last, for an encoding that declares attributes.</summary>
    public const string TransactionsWithAttributesQuery = """
        COPY (
            SELECT transaction_id, card_id, event_time, merchant_id, merchant_category, amount,
                   country, channel, device_id, currency, email_domain, attributes
            FROM transactions
            ORDER BY event_time, transaction_id COLLATE "C"
        ) TO STDOUT (FORMAT BINARY)
        """;

    public const string LabelsQuery = "COPY labels (transaction_id, is_fraud, labelled_at, first_fraud_at) TO STDOUT (FORMAT BINARY)";

    private const int TransactionColumns = 11;

    private readonly EncodingLayout _layout = layout ?? EncodingLayout.FieldsOnly;

    /// <summary>Batches parsed ahead of the consumer.</summary>
    private const int AheadBatches = 4;

    public string Description => withLabels ? "postgres transactions + labels" : "postgres transactions";

    public HistoryRefusals Refusals { get; } = new();

    public async IAsyncEnumerable<HistoryReadBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Both COPYs in one snapshot, so rows and labels written meanwhile are in both or in neither.
        await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var labels = withLabels ? await ReadLabelsAsync(connection, cancellationToken) : null;
        await using var copy = await connection.BeginRawBinaryCopyAsync(
            _layout.Attributes.Count > 0 ? TransactionsWithAttributesQuery : TransactionsQuery, cancellationToken);
        var window = EventTimeWindow.Now(maxFutureSkew ?? ContractLimits.DefaultMaxFutureSkew);
        await foreach (var batch in ReadAhead(copy, labels, cancellationToken, _layout, window, Refusals))
        {
            yield return batch;
        }
    }

    /// <summary>
    /// <see cref="Parse"/> on a thread of its own, up to <see cref="AheadBatches"/> batches ahead of the consumer, so
    /// reading and parsing the COPY overlap with whatever the consumer does with the rows (the features), as
    /// Postgres producing them overlaps with both. A batch is the consumer's until it asks for the next one.
    /// </summary>
    internal static async IAsyncEnumerable<HistoryReadBatch> ReadAhead(Stream copy, LabelIndex? labels, [EnumeratorCancellation] CancellationToken cancellationToken,
        EncodingLayout? layout = null, EventTimeWindow? window = null, HistoryRefusals? refusals = null)
    {
        var names = new ValueNames();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var free = new BlockingCollection<HistoryReadBatch>();
        using var filled = new BlockingCollection<HistoryReadBatch>();
        for (var i = 0; i < AheadBatches + 2; i++)
        {
            free.Add(new HistoryReadBatch(HistoryReadBatch.DefaultCapacity, layout, names), CancellationToken.None);
        }
        var producer = Task.Factory.StartNew(() =>
        {
            try
            {
                foreach (var batch in Parse(copy, labels, stop.Token, () => free.Take(stop.Token), layout, window, refusals))
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
            HistoryReadBatch? held = null;
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

    /// <summary>
    /// The rows of a binary COPY of <see cref="TransactionsQuery"/> (<see cref="TransactionsWithAttributesQuery"/> when
    /// <paramref name="layout"/> declares attributes), each with its label from <paramref name="labels"/>, a batch at a time.
    /// </summary>
    /// <param name="nextBatch">an empty batch to fill after one is handed out (of <paramref name="layout"/>); null refills the same batch.</param>
    /// <exception cref="InvalidDataException">the bytes are not that COPY's output.</exception>
    /// <param name="window">event times outside it are refused (into <paramref name="refusals"/>); every time from the floor on when null.</param>
    public static IEnumerable<HistoryReadBatch> Parse(Stream copy, LabelIndex? labels, CancellationToken cancellationToken, Func<HistoryReadBatch>? nextBatch = null,
        EncodingLayout? layout = null, EventTimeWindow? window = null, HistoryRefusals? refusals = null)
    {
        layout ??= EncodingLayout.FieldsOnly;
        var first = nextBatch?.Invoke() ?? new HistoryReadBatch(HistoryReadBatch.DefaultCapacity, layout);
        var reader = new TransactionReader(labels, first, window ?? EventTimeWindow.FloorOnly, refusals ?? new HistoryRefusals());
        using var stream = new PgBinaryCopyStream(copy, TransactionColumns + (layout.Attributes.Count > 0 ? 1 : 0));
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
        var category = reader.Keys(CategoricalField.MerchantCategory).Get(row.NotNull("merchant_category"));
        var amount = row.Float8("amount");
        var country = reader.Countries.Get(row.NotNull("country"));
        var channel = reader.Channels.Get(row.NotNull("channel"));
        var device = row.Field(out var noDevice);
        var currency = reader.Keys(CategoricalField.Currency).Get(row.NotNull("currency"));
        var email = row.Field(out var noEmail);
        var emailKey = noEmail ? ValueKey.Missing : reader.Keys(CategoricalField.EmailDomain).Get(email);
        var noAttributes = true;
        var attributes = reader.Batch.Layout.Attributes.Count > 0 ? row.Field(out noAttributes) : default;
        if (!(amount is >= 0 and <= ContractLimits.MaxAmount) || !reader.Window.Contains(new DateTimeOffset(ticks, TimeSpan.Zero)))
        {
            // The same bounds the validators apply to messages: such a row would make features (and the model) non-finite.
            reader.Refusals.Add($"transaction {Utf8Text.Decode(id)}", !(amount is >= 0 and <= ContractLimits.MaxAmount)
                ? string.Create(CultureInfo.InvariantCulture, $"invalid_amount: amount {amount} is not in [0, {ContractLimits.MaxAmount}]")
                : $"invalid_event_time: {reader.Window.Describe("event_time", new DateTimeOffset(ticks, TimeSpan.Zero))}");
            return true;
        }
        var slots = reader.Batch.NextSlots();
        slots[(int)CategoricalField.Channel] = channel.Key;
        slots[(int)CategoricalField.MerchantCategory] = category;
        slots[(int)CategoricalField.Country] = country.Key;
        slots[(int)CategoricalField.Currency] = currency;
        slots[(int)CategoricalField.EmailDomain] = emailKey;
        if (reader.Batch.Layout.Attributes.Count > 0)
        {
            ReadAttributes(attributes, noAttributes, reader.Batch.Layout, slots, reader.Batch.Names);
        }
        var input = new FeatureInput(
            EventMs: new DateTimeOffset(ticks, TimeSpan.Zero).ToUnixTimeMilliseconds(),
            Amount: amount,
            CardKey: card,
            MerchantKey: Utf8Keys.Key64(merchant),
            MerchantHash: Utf8Keys.Hash32(merchant),
            CountryHash: country.Hash,
            DeviceHash: noDevice ? reader.NoDeviceHash : Utf8Keys.Hash32(device),
            DeviceKey: noDevice ? 0 : Utf8Keys.Key64(device),
            HasDevice: !noDevice,
            CardNotPresent: channel.CardNotPresent);
        var facts = reader.Labels is { } labels && labels.TryGet(id, out var label) ? label : LabelFacts.None;
        reader.Batch.Add(input, ticks, id, facts);
        return !reader.Batch.IsFull;
    }

    /// <summary>
    /// The declared attributes of one row from its <c>jsonb</c> (binary: a version byte, then the JSON text), each value
    /// through the scorer's function (<see cref="EncodingLayout.Slot"/>); texts of categorical values met for the first
    /// time are noted.
    /// </summary>
    private static void ReadAttributes(ReadOnlySpan<byte> jsonb, bool isNull, EncodingLayout layout, Span<ulong> slots, ValueNames names)
    {
        JsonDocument? document = null;
        if (!isNull)
        {
            if (jsonb.IsEmpty || jsonb[0] != 1)
            {
                throw new InvalidDataException("attributes is not jsonb of version 1");
            }
            document = JsonDocument.Parse(jsonb[1..].ToArray());
        }
        using (document)
        {
            var root = document?.RootElement;
            for (var a = 0; a < layout.Attributes.Count; a++)
            {
                var attribute = layout.Attributes[a];
                var slot = EncodingLayout.FieldCount + a;
                if (root is { ValueKind: JsonValueKind.Object } map && map.TryGetProperty(attribute.Name, out var value))
                {
                    slots[slot] = EncodingLayout.Slot(attribute, value);
                    if (attribute.Kind == AttributeKind.Categorical && slots[slot] != ValueKey.Missing && !names.Knows(slot, slots[slot]))
                    {
                        names.Note(slot, slots[slot], ValueKey.Normalise(AttributeValues.CategoricalText(value)!));
                    }
                }
                else
                {
                    slots[slot] = EncodingLayout.Missing(attribute);
                }
            }
        }
    }

    /// <summary>One COPY's parsing state: the batch being filled and the reductions of every text seen so far.</summary>
    private sealed class TransactionReader
    {
        private readonly Utf8Interner<ulong>[] _keys = new Utf8Interner<ulong>[EncodingLayout.FieldCount];

        public TransactionReader(LabelIndex? labels, HistoryReadBatch batch, EventTimeWindow window, HistoryRefusals refusals)
        {
            Labels = labels;
            Batch = batch;
            Window = window;
            Refusals = refusals;
            var names = batch.Names;
            foreach (var field in new[] { CategoricalField.MerchantCategory, CategoricalField.Currency, CategoricalField.EmailDomain })
            {
                _keys[(int)field] = new Utf8Interner<ulong>(text => Noted(names, field, ValueKey.Of(text), text));
            }
            Countries = new Utf8Interner<(int, ulong)>(text => (FeatureInput.TextHashOf(text), Noted(names, CategoricalField.Country, ValueKey.Of(text), text)));
            Channels = new Utf8Interner<(bool, ulong)>(text =>
            {
                var key = ChannelNames.KeyOf(text);
                return (ChannelNames.IsCardNotPresentKey(key), key == ValueKey.Missing ? key : Noted(names, CategoricalField.Channel, key, ChannelNames.Canonicalise(text)));
            });
        }

        public EventTimeWindow Window { get; }
        public HistoryRefusals Refusals { get; }
        public LabelIndex? Labels { get; }
        public HistoryReadBatch Batch { get; set; }

        /// <summary>The key of a field's text (<see cref="ValueKey"/>).</summary>
        public Utf8Interner<ulong> Keys(CategoricalField field) => _keys[(int)field];

        /// <summary>A country's hash in card state and its vocabulary key.</summary>
        public Utf8Interner<(int Hash, ulong Key)> Countries { get; }

        /// <summary>Whether a channel is card-not-present, and its canonical key.</summary>
        public Utf8Interner<(bool CardNotPresent, ulong Key)> Channels { get; }

        public int NoDeviceHash { get; } = FeatureInput.TextHashOf(string.Empty);

        private static ulong Noted(ValueNames names, CategoricalField field, ulong key, string text)
        {
            if (key != ValueKey.Missing)
            {
                names.Note((int)field, key, field == CategoricalField.Channel ? text : ValueKey.Normalise(text));
            }
            return key;
        }
    }
}
