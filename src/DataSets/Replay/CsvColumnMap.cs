namespace Fraud.Streaming.DataSets.Replay;

/// <summary>
/// How a CSV file of any layout becomes transactions: which column holds each contract field (<c>--map
/// card_id=customer,event_time=ts,...</c>) and which fields take one value for every row (<c>--const
/// currency=EUR,channel=ecommerce</c>). <c>event_time</c>, <c>card_id</c> and <c>amount</c> need a column;
/// <c>merchant_id</c>, <c>merchant_category</c>, <c>currency</c>, <c>country</c> and <c>channel</c> a column or a constant;
/// <c>transaction_id</c> defaults to the file name and line, <c>device_id</c>, <c>ip</c> and <c>email_domain</c> to none.
/// <c>is_fraud</c> (a column) makes a delayed label per row. Every other column goes into <c>attributes</c>.
/// </summary>
public sealed record CsvColumnMap(IReadOnlyDictionary<string, string> Columns, IReadOnlyDictionary<string, string> Constants)
{
    /// <summary>Fields that need a column.</summary>
    public static readonly string[] ColumnOnly = ["event_time", "card_id", "amount", "is_fraud"];

    /// <summary>Fields that need a column or a constant.</summary>
    public static readonly string[] Required = ["event_time", "card_id", "amount", "merchant_id", "merchant_category", "currency", "country", "channel"];

    /// <summary>Every field a column or constant may give.</summary>
    public static readonly string[] Fields =
        ["transaction_id", "event_time", "card_id", "merchant_id", "merchant_category", "amount", "currency", "country", "channel", "device_id", "ip", "email_domain", "is_fraud"];

    /// <summary>Parses <c>--map</c> and <c>--const</c>; false with a one-line reason when they do not describe a usable mapping.</summary>
    public static bool TryParse(string? map, string? constants, out CsvColumnMap result, out string error)
    {
        result = new CsvColumnMap(new Dictionary<string, string>(), new Dictionary<string, string>());
        if (!TryPairs(map, "--map", out var columns, out error) || !TryPairs(constants, "--const", out var values, out error))
        {
            return false;
        }
        if (columns.Keys.Intersect(values.Keys, StringComparer.Ordinal).FirstOrDefault() is { } both)
        {
            error = $"{both} has both a column (--map) and a constant (--const)";
            return false;
        }
        if (ColumnOnly.FirstOrDefault(values.ContainsKey) is { } notConstant)
        {
            error = $"{notConstant} must come from a column (--map), not a constant";
            return false;
        }
        var missing = Required.Where(f => !columns.ContainsKey(f) && !values.ContainsKey(f)).ToList();
        if (missing.Count > 0)
        {
            error = $"--map or --const must give {string.Join(", ", missing)}";
            return false;
        }
        result = new CsvColumnMap(columns, values);
        return true;
    }

    private static bool TryPairs(string? text, string option, out Dictionary<string, string> pairs, out string error)
    {
        pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        error = string.Empty;
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var field = eq < 0 ? part : part[..eq].Trim();
            if (eq <= 0 || eq == part.Length - 1)
            {
                error = $"{option}: '{part}' is not FIELD=VALUE";
                return false;
            }
            if (Array.IndexOf(Fields, field) < 0)
            {
                error = $"{option}: unknown field '{field}'; known: {string.Join(", ", Fields)}";
                return false;
            }
            if (!pairs.TryAdd(field, part[(eq + 1)..].Trim()))
            {
                error = $"{option}: {field} is given twice";
                return false;
            }
        }
        return true;
    }
}
