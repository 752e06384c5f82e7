using System.Globalization;
using System.Text.Json;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.DataSets.Replay;

/// <summary>
/// A CSV file of any layout, read through a <see cref="CsvColumnMap"/> and a <see cref="CsvTimeFormat"/>: each row becomes
/// a transaction (checked by <see cref="TransactionValidator"/>, as a consumer would) and, with an <c>is_fraud</c> column,
/// a delayed label; unmapped columns go into <c>attributes</c>. A row that cannot be read is reported with its line.
/// </summary>
public static class CsvSource
{
    public const string LabelSource = "csv";

    /// <exception cref="InvalidDataException">a mapped column is not in the header.</exception>
    public static IEnumerable<ReplayRecord> Read(ReplaySettings settings, Action<ReplayError> onError)
    {
        var map = settings.CsvMap ?? throw new InvalidOperationException("a CSV replay needs a column map");
        var time = settings.CsvTime ?? throw new InvalidOperationException("a CSV replay needs a time format");
        using var rows = new CsvRows(settings.Input);
        var at = map.Columns.ToDictionary(kv => kv.Key, kv => rows.IndexOf(kv.Value) is >= 0 and var i ? i
            : throw new InvalidDataException($"{rows.Name}: no column '{kv.Value}' in the header (mapped to {kv.Key})"), StringComparer.Ordinal);
        var mapped = at.Values.ToHashSet();
        var prefix = Path.GetFileNameWithoutExtension(settings.Input);
        var window = EventTimeWindow.Now(settings.MaxFutureSkew);

        while (rows.Read(out var row, out var error))
        {
            if (error is not null)
            {
                onError(new ReplayError(rows.Name, rows.Line, error));
                continue;
            }
            var r = row!;
            string? Value(string field) => at.TryGetValue(field, out var i) ? r[i] : map.Constants.GetValueOrDefault(field);
            string? Optional(string field) => Value(field) is { Length: > 0 } v ? v : null;

            if (!time.TryParse(Value("event_time")!, out var eventTime, out var reason)
                || !TryAmount(Value("amount")!, out var amount, out reason)
                || !TryFraud(at.ContainsKey("is_fraud") ? Value("is_fraud") : null, out var isFraud, out reason))
            {
                onError(new ReplayError(rows.Name, rows.Line, reason));
                continue;
            }
            var transaction = new Transaction
            {
                TransactionId = Optional("transaction_id") ?? string.Create(CultureInfo.InvariantCulture, $"{prefix}-{rows.Line}"),
                EventTime = eventTime,
                CardId = Value("card_id")!,
                MerchantId = Value("merchant_id")!,
                MerchantCategory = Value("merchant_category")!,
                Amount = amount,
                Currency = Value("currency")!,
                Country = Value("country")!,
                Channel = Value("channel")!,
                DeviceId = Optional("device_id"),
                Ip = Optional("ip"),
                EmailDomain = Optional("email_domain"),
                Attributes = Attributes(rows.Header, r, mapped),
            };
            if (!TransactionValidator.Validate(transaction, window, out var invalid))
            {
                onError(new ReplayError(rows.Name, rows.Line, $"{invalid.CodeName}: {invalid.Detail}"));
                continue;
            }
            yield return new ReplayRecord(transaction, isFraud is { } f ? DelayedLabels.For(transaction, f, LabelSource) : null);
        }
    }

    private static Dictionary<string, JsonElement>? Attributes(string[] header, string[] row, HashSet<int> mapped)
    {
        Dictionary<string, JsonElement>? attributes = null;
        for (var i = 0; i < row.Length; i++)
        {
            if (!mapped.Contains(i) && row[i].Length > 0)
            {
                (attributes ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[header[i].Trim()] = ReplayValues.Element(row[i]);
            }
        }
        return attributes;
    }

    private static bool TryAmount(string text, out double amount, out string error)
    {
        error = string.Empty;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out amount) && double.IsFinite(amount))
        {
            return true;
        }
        error = $"amount '{text}' is not a number";
        return false;
    }

    /// <summary>1/0, true/false, yes/no, t/f, y/n, fraud/genuine (any case); null without an <c>is_fraud</c> column.</summary>
    private static bool TryFraud(string? text, out bool? isFraud, out string error)
    {
        error = string.Empty;
        isFraud = null;
        if (text is null)
        {
            return true;
        }
        isFraud = text.Trim().ToLowerInvariant() switch
        {
            "1" or "1.0" or "true" or "t" or "yes" or "y" or "fraud" => true,
            "0" or "0.0" or "false" or "f" or "no" or "n" or "genuine" or "legit" => false,
            _ => null,
        };
        if (isFraud is null)
        {
            error = $"is_fraud '{text}' is neither 1/true/yes/fraud nor 0/false/no/genuine";
            return false;
        }
        return true;
    }
}
