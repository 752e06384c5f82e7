using System.Text;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Shared.Tests;

public sealed class JsonlReaderTests
{
    private static List<(long Number, string Text, bool TooLong)> ReadAll(byte[] bytes, int max = 64, bool async = false)
    {
        var reader = new JsonlReader(new MemoryStream(bytes), max);
        var lines = new List<(long, string, bool)>();
        while (async ? reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult() : reader.Read())
        {
            lines.Add((reader.LineNumber, Encoding.UTF8.GetString(reader.Current.Span), reader.TooLong));
        }
        return lines;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Lines_are_split_with_bom_crlf_blank_lines_and_a_last_line_without_a_break(bool async)
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("{\"a\":1}\r\n\n  \n{\"b\":2}\n{\"c\":3}")).ToArray();
        Assert.Equal([(1L, "{\"a\":1}", false), (4L, "{\"b\":2}", false), (5L, "{\"c\":3}", false)], ReadAll(bytes, async: async));
    }

    [Fact]
    public void A_line_longer_than_the_limit_is_reported_without_being_kept()
    {
        var text = "{\"a\":1}\n" + new string('x', 1000) + "\n{\"b\":2}\n";
        var lines = ReadAll(Encoding.UTF8.GetBytes(text), max: 64);
        Assert.Equal([(1L, "{\"a\":1}", false), (2L, "", true), (3L, "{\"b\":2}", false)], lines);
    }

    [Fact]
    public void A_file_of_only_a_bom_has_no_lines() => Assert.Empty(ReadAll(Encoding.UTF8.GetPreamble()));

    [Fact]
    public void Lines_across_many_buffer_refills_come_back_whole()
    {
        var expected = Enumerable.Range(0, 5000).Select(i => $"{{\"i\":{i},\"pad\":\"{new string('p', i % 50)}\"}}").ToList();
        var lines = ReadAll(Encoding.UTF8.GetBytes(string.Join('\n', expected)), max: 1 << 20);
        Assert.Equal(expected, lines.Select(l => l.Text));
    }
}
