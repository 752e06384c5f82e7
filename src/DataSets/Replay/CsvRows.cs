using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Fraud.Streaming.DataSets.Replay;

/// <summary>
/// Reads a headed CSV file (RFC 4180: quoted fields, embedded commas, quotes and line breaks) row by row. A row
/// whose field count differs from the header's, or that has a stray quote, is reported with its line number and
/// skipped; the caller decides whether that ends the replay.
/// </summary>
public sealed class CsvRows : IDisposable
{
    private readonly StreamReader _reader;
    private readonly CsvParser _parser;
    private readonly Dictionary<string, int> _columns;
    private string? _badData;

    public CsvRows(string path)
    {
        Name = Path.GetFileName(path);
        _reader = new StreamReader(path, new FileStreamOptions { BufferSize = 1 << 16, Options = FileOptions.SequentialScan });
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = true,
            BadDataFound = args => _badData ??= $"stray quote in field '{Truncate(args.Field)}'",
        };
        _parser = new CsvParser(_reader, config);
        if (!_parser.Read() || _parser.Record is not { Length: > 0 } header)
        {
            throw new InvalidDataException($"{Name}: no header row");
        }
        Header = header;
        _columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            _columns.TryAdd(header[i].Trim(), i);
        }
    }

    public string Name { get; }
    public string[] Header { get; }

    /// <summary>Line (1-based) where the current row starts.</summary>
    public long Line { get; private set; } = 1;

    public int IndexOf(string column) => _columns.TryGetValue(column, out var index) ? index : -1;

    /// <summary>Moves to the next row; returns false at the end. <paramref name="error"/> is set for a malformed row.</summary>
    public bool Read(out string[]? row, out string? error)
    {
        var startLine = _parser.RawRow + 1;
        _badData = null;
        if (!_parser.Read())
        {
            row = null;
            error = null;
            return false;
        }
        Line = startLine;
        row = _parser.Record;
        error = _badData;
        if (error is null && (row is null || row.Length != Header.Length))
        {
            error = $"{row?.Length ?? 0} fields, header has {Header.Length}";
        }
        return true;
    }

    public void Dispose()
    {
        _parser.Dispose();
        _reader.Dispose();
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
