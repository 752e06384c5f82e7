using System.Buffers.Binary;
using System.Text;
using Fraud.Streaming.Trainer.History;

namespace Fraud.Streaming.Trainer.Tests;

/// <summary>The binary COPY parser over byte streams cut at every possible place.</summary>
public sealed class PgBinaryCopyStreamTests
{
    private static readonly byte[] Signature = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(1 << 20)]
    public void Reads_every_row_whatever_the_chunks_the_bytes_arrive_in(int chunk)
    {
        var rows = Enumerable.Range(0, 500).Select(i => (Id: $"tx-{i}-é☕", Time: 1000L * i, Amount: i * 1.25, Device: i % 3 == 0 ? null : $"dev-{i % 7}", Label: i % 4 == 0 ? (bool?)null : i % 5 == 0)).ToList();
        var bytes = Copy(rows.Select(r => new[] { Text(r.Id), Int64(r.Time), Float8(r.Amount), r.Device is null ? null : Text(r.Device), r.Label is { } l ? [l ? (byte)1 : (byte)0] : null }), extension: 4);

        var read = new List<(string, long, double, string?, bool?)>();
        var pool = new Utf8Interner<string>(s => s);
        using var stream = new PgBinaryCopyStream(new ChunkedStream(bytes, chunk), 5);
        while (!stream.Finished)
        {
            stream.ReadRows((ref PgBinaryCopyParser row, List<(string, long, double, string?, bool?)> into) =>
            {
                var id = Utf8Text.Decode(row.NotNull("id"));
                var ticks = row.TimestampTicks("time");
                var amount = row.Float8("amount");
                var device = row.Field(out var isNull) is var d && isNull ? null : pool.Get(d);
                into.Add((id, ticks, amount, device, row.Bool()));
                return true;
            }, read);
        }

        var epoch = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        Assert.Equal(rows.Select(r => (r.Id, epoch + (r.Time * 10), r.Amount, r.Device, r.Label)), read);
        Assert.Equal(7, pool.Count);
        Assert.Same(read[1].Item4, read[8].Item4); // dev-1, pooled
    }

    [Fact]
    public void A_reader_that_stops_gets_the_remaining_rows_on_the_next_calls_in_order()
    {
        var ids = Enumerable.Range(0, 1000).Select(i => $"tx-{i}").ToList();
        var bytes = Copy(ids.Select(id => new[] { Text(id) }), extension: 0);
        var read = new List<string>();
        var calls = 0;
        using var stream = new PgBinaryCopyStream(new MemoryStream(bytes), 1);
        while (!stream.Finished)
        {
            calls++;
            var inThisCall = 0;
            stream.ReadRows((ref PgBinaryCopyParser row, List<string> into) =>
            {
                into.Add(Utf8Text.Decode(row.NotNull("id")));
                return ++inThisCall < 3; // stop after three rows
            }, read);
        }

        Assert.Equal(ids, read);
        Assert.True(calls >= 1000 / 3, $"{calls} calls");
    }

    [Theory]
    [InlineData("card-000123")]
    [InlineData("")]
    [InlineData("a much longer merchant identifier with spaces and digits 0123456789")]
    [InlineData("Café ☕ Zürich")]
    [InlineData("dévice-😀")]
    public void Keys_hashed_from_utf8_bytes_equal_the_keys_the_scorer_hashes_from_strings(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);

        Assert.Equal(Shared.Features.FeatureInput.CardKeyOf(text), Utf8Keys.Key64(bytes));
        Assert.Equal(Shared.Features.FeatureInput.MerchantKeyOf(text), Utf8Keys.Key64(bytes));
        Assert.Equal(Shared.Features.FeatureInput.TextHashOf(text), Utf8Keys.Hash32(bytes));
    }

    [Fact]
    public void Keys_of_invalid_utf8_are_an_error_not_a_hash_of_garbage()
    {
        Assert.Contains("not valid UTF-8", Assert.Throws<InvalidDataException>(() => Utf8Keys.Key64([0x61, 0xC3, 0x28])).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => Utf8Keys.Hash32([0xFF]));
    }

    [Fact]
    public void The_interner_reduces_each_distinct_text_once_and_tells_apart_texts_that_share_prefixes()
    {
        var reduced = new List<string>();
        var interner = new Utf8Interner<int>(s =>
        {
            reduced.Add(s);
            return reduced.Count;
        });
        var texts = Enumerable.Range(0, 5000).Select(i => $"card-{i % 1500:D6}{(i % 3 == 0 ? "-é" : "")}").ToList();
        var values = texts.Select(t => interner.Get(Encoding.UTF8.GetBytes(t))).ToList();

        Assert.Equal(texts.Distinct().Count(), interner.Count);
        Assert.Equal(texts.Distinct().Count(), reduced.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            Assert.Equal(texts[i], reduced[values[i] - 1]);
        }
        Assert.Equal(1, new Utf8Interner<int>(_ => 1).Get([]));
    }

    [Fact]
    public void A_stream_that_ends_before_its_trailer_is_an_error()
    {
        var bytes = Copy([[Text("a")]], extension: 0);
        using var stream = new PgBinaryCopyStream(new MemoryStream(bytes[..^2]), 1);
        var ex = Assert.Throws<InvalidDataException>(() => ReadAll(stream));
        Assert.Contains("without its trailer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_with_another_column_count_are_refused()
    {
        using var stream = new PgBinaryCopyStream(new MemoryStream(Copy([[Text("a"), Text("b")]], extension: 0)), 1);
        var ex = Assert.Throws<InvalidDataException>(() => ReadAll(stream));
        Assert.Contains("2 columns, expected 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_output_is_not_taken_for_binary()
    {
        using var stream = new PgBinaryCopyStream(new MemoryStream(Encoding.ASCII.GetBytes("tx-1\tcard-1\n\\.\npadding to be long enough")), 1);
        var ex = Assert.Throws<InvalidDataException>(() => ReadAll(stream));
        Assert.Contains("signature", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Infinite_timestamps_and_invalid_utf8_are_errors_not_garbage()
    {
        var infinity = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(infinity, long.MaxValue);
        using (var stream = new PgBinaryCopyStream(new MemoryStream(Copy([[infinity]], extension: 0)), 1))
        {
            var ex = Assert.Throws<InvalidDataException>(() => stream.ReadRows((ref PgBinaryCopyParser row, int _) => row.TimestampTicks("event_time") > 0, 0));
            Assert.Contains("event_time is out of range", ex.Message, StringComparison.Ordinal);
        }
        using (var stream = new PgBinaryCopyStream(new MemoryStream(Copy([[[0xC3, 0x28]]], extension: 0)), 1))
        {
            var pool = new Utf8Interner<string>(s => s);
            var ex = Assert.Throws<InvalidDataException>(() => stream.ReadRows((ref PgBinaryCopyParser row, int _) => pool.Get(row.NotNull("card_id")) is not null, 0));
            Assert.Contains("not valid UTF-8", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Reading_ahead_on_another_thread_hands_out_the_rows_the_plain_parse_does()
    {
        var bytes = TransactionsCopy(10_000);
        var plain = new List<(string, long, Shared.Features.FeatureInput, bool?)>();
        foreach (var batch in PostgresHistorySource.Parse(new MemoryStream(bytes), null, CancellationToken.None))
        {
            Collect(batch, plain);
        }
        var ahead = new List<(string, long, Shared.Features.FeatureInput, bool?)>();
        var batches = new HashSet<HistoryReadBatch>();
        await foreach (var batch in PostgresHistorySource.ReadAhead(new ChunkedStream(bytes, 117), null, CancellationToken.None))
        {
            batches.Add(batch);
            Collect(batch, ahead);
        }

        Assert.Equal(10_000, plain.Count);
        Assert.Equal(plain, ahead);
        Assert.Equal(plain.Select(r => r.Item1).Distinct().Count(), plain.Count);
        Assert.True(batches.Count > 1, "several batches in flight, recycled");
    }

    [Fact]
    public async Task Reading_ahead_reports_a_broken_stream_and_stops_when_the_consumer_stops()
    {
        var bytes = TransactionsCopy(10_000);
        var ex = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var batch in PostgresHistorySource.ReadAhead(new MemoryStream(bytes[..^100]), null, CancellationToken.None))
            {
                Assert.True(batch.Count > 0);
            }
        });
        Assert.Contains("without its trailer", ex.Message, StringComparison.Ordinal);

        var seen = 0;
        await foreach (var batch in PostgresHistorySource.ReadAhead(new MemoryStream(bytes), null, CancellationToken.None))
        {
            seen += batch.Count;
            break; // the producer must be stopped and awaited, not left reading a disposed stream
        }
        Assert.Equal(HistoryReadBatch.DefaultCapacity, seen);
    }

    private static void Collect(HistoryReadBatch batch, List<(string, long, Shared.Features.FeatureInput, bool?)> into)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            into.Add((batch.IdString(i), batch.EventTicks(i), batch.Input(i), batch.Label(i)));
        }
    }

    /// <summary>A COPY of the history query's eleven columns.</summary>
    private static byte[] TransactionsCopy(int count) => Copy(Enumerable.Range(0, count).Select(i => new[]
    {
        Text($"tx-{i:D6}"), Text($"card-{i % 97}"), Int64(1_000_000L * i), Text($"m-{i % 31}"), Text(i % 2 == 0 ? "grocery" : "5944"),
        Float8(i * 0.5), Text(i % 5 == 0 ? "FR" : "US"), Text(i % 3 == 0 ? "online" : "pos"), i % 4 == 0 ? null : Text($"dev-{i % 13}"),
        Text(i % 7 == 0 ? "EUR" : "USD"), i % 3 == 0 ? null : Text("gmail.com"),
    }), extension: 0);

    private static void ReadAll(PgBinaryCopyStream stream)
    {
        while (!stream.Finished)
        {
            stream.ReadRows((ref PgBinaryCopyParser row, int _) =>
            {
                row.Field(out bool _);
                return true;
            }, 0);
        }
    }

    private static byte[] Text(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[] Int64(long v)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(b, v);
        return b;
    }

    private static byte[] Float8(double v)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(b, v);
        return b;
    }

    private static byte[] Copy(IEnumerable<byte[]?[]> rows, int extension)
    {
        var output = new MemoryStream();
        var word = new byte[4];
        output.Write(Signature);
        output.Write(new byte[4]); // flags
        BinaryPrimitives.WriteInt32BigEndian(word, extension);
        output.Write(word);
        output.Write(new byte[extension]);
        foreach (var row in rows)
        {
            output.Write([(byte)(row.Length >> 8), (byte)row.Length]);
            foreach (var field in row)
            {
                BinaryPrimitives.WriteInt32BigEndian(word, field?.Length ?? -1);
                output.Write(word);
                output.Write(field ?? []);
            }
        }
        output.Write([0xFF, 0xFF]);
        return output.ToArray();
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read, as a socket may.</summary>
    private sealed class ChunkedStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(chunk, buffer.Length)]);
    }
}
