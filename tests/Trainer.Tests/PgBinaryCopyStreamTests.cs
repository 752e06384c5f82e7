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
        var pool = new Utf8StringPool();
        using var stream = new PgBinaryCopyStream(new ChunkedStream(bytes, chunk), 5);
        while (!stream.Finished)
        {
            stream.ReadRows((ref PgBinaryCopyParser row, List<(string, long, double, string?, bool?)> into) =>
            {
                var id = Utf8StringPool.Decode(row.NotNull("id"));
                var ticks = row.TimestampTicks("time");
                var amount = row.Float8("amount");
                var device = row.Field(out var isNull) is var d && isNull ? null : pool.Get(d);
                into.Add((id, ticks, amount, device, row.Bool()));
            }, read);
        }

        var epoch = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        Assert.Equal(rows.Select(r => (r.Id, epoch + (r.Time * 10), r.Amount, r.Device, r.Label)), read);
        Assert.Equal(7, pool.Count);
        Assert.Same(read[1].Item4, read[8].Item4); // dev-1, pooled
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
            var ex = Assert.Throws<InvalidDataException>(() => stream.ReadRows((ref PgBinaryCopyParser row, int _) => row.TimestampTicks("event_time"), 0));
            Assert.Contains("event_time is out of range", ex.Message, StringComparison.Ordinal);
        }
        using (var stream = new PgBinaryCopyStream(new MemoryStream(Copy([[[0xC3, 0x28]]], extension: 0)), 1))
        {
            var pool = new Utf8StringPool();
            var ex = Assert.Throws<InvalidDataException>(() => stream.ReadRows((ref PgBinaryCopyParser row, int _) => pool.Get(row.NotNull("card_id")), 0));
            Assert.Contains("not valid UTF-8", ex.Message, StringComparison.Ordinal);
        }
    }

    private static void ReadAll(PgBinaryCopyStream stream)
    {
        while (!stream.Finished)
        {
            stream.ReadRows((ref PgBinaryCopyParser row, int _) =>
            {
                row.Field(out bool _);
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
