using System.Globalization;
using System.Text.Json;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.DataSets.Replay;

/// <summary>
/// IEEE-CIS (Kaggle) <c>train_transaction.csv</c>, optionally joined with <c>train_identity.csv</c> on
/// <c>TransactionID</c>. <c>TransactionDT</c> (seconds from a reference point) becomes the event time from the
/// start date; card1..card6 with addr1/addr2 form a stable card id; <c>isFraud</c> becomes a delayed label; every
/// other non-empty column goes into <c>attributes</c>.
/// </summary>
public static class IeeeCisSource
{
    public const string LabelSource = "ieee-cis";

    private static readonly string[] CardColumns = ["card1", "card2", "card3", "card4", "card5", "card6", "addr1", "addr2"];

    private static readonly HashSet<string> Mapped = new(StringComparer.Ordinal)
    {
        "TransactionID", "TransactionDT", "TransactionAmt", "ProductCD", "isFraud", "P_emaildomain", "DeviceInfo",
    };

    public static IEnumerable<ReplayRecord> Read(ReplaySettings settings, Action<ReplayError> onError)
    {
        var identity = settings.Identity is null ? null : ReadIdentity(settings.Identity, onError);
        using var rows = new CsvRows(settings.Input);
        var id = Required(rows, "TransactionID");
        var dt = Required(rows, "TransactionDT");
        var amountAt = Required(rows, "TransactionAmt");
        var product = rows.IndexOf("ProductCD");
        var fraudAt = rows.IndexOf("isFraud");
        var email = rows.IndexOf("P_emaildomain");
        var cardAt = CardColumns.Select(rows.IndexOf).ToArray();

        while (rows.Read(out var row, out var error))
        {
            if (error is not null)
            {
                onError(new ReplayError(rows.Name, rows.Line, error));
                continue;
            }
            var r = row!;
            if (string.IsNullOrWhiteSpace(r[id]))
            {
                onError(new ReplayError(rows.Name, rows.Line, "TransactionID is empty"));
                continue;
            }
            if (!double.TryParse(r[dt], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < 0 || !double.IsFinite(seconds))
            {
                onError(new ReplayError(rows.Name, rows.Line, $"TransactionDT '{r[dt]}' is not a non-negative number of seconds"));
                continue;
            }
            if (!double.TryParse(r[amountAt], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount < 0 || !double.IsFinite(amount))
            {
                onError(new ReplayError(rows.Name, rows.Line, $"TransactionAmt '{r[amountAt]}' is not a non-negative amount"));
                continue;
            }
            bool? isFraud = null;
            if (fraudAt >= 0)
            {
                isFraud = r[fraudAt].Trim() switch
                {
                    "1" or "1.0" => true,
                    "0" or "0.0" => false,
                    _ => null,
                };
                if (isFraud is null)
                {
                    onError(new ReplayError(rows.Name, rows.Line, $"isFraud '{r[fraudAt]}' is neither 0 nor 1"));
                    continue;
                }
            }

            var attributes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            for (var i = 0; i < r.Length; i++)
            {
                if (!Mapped.Contains(rows.Header[i]) && r[i].Length > 0)
                {
                    attributes[rows.Header[i]] = ReplayValues.Element(r[i]);
                }
            }
            string? device = null;
            if (identity is not null && identity.TryGetValue(r[id], out var extra))
            {
                foreach (var (column, value) in extra)
                {
                    if (column == "DeviceInfo")
                    {
                        device = value;
                    }
                    else
                    {
                        attributes.TryAdd(column, ReplayValues.Element(value));
                    }
                }
            }
            var addr2 = cardAt[7] >= 0 ? r[cardAt[7]] : string.Empty;
            var productCode = product >= 0 && r[product].Length > 0 ? r[product] : "unknown";
            var transaction = new Transaction
            {
                TransactionId = "ieee-" + r[id],
                EventTime = settings.Start.AddSeconds(seconds),
                CardId = CardId(r, cardAt),
                MerchantId = "ieee-product-" + productCode,
                MerchantCategory = productCode,
                Amount = amount,
                Currency = "USD",
                // addr2 is a coded country; 87 covers almost all rows and is taken to be the US.
                Country = addr2 is "87" or "87.0" ? "US" : addr2.Length == 0 ? "ZZ" : "XX",
                Channel = "online",
                DeviceId = device,
                EmailDomain = email >= 0 && r[email].Length > 0 ? r[email] : null,
                Attributes = attributes.Count > 0 ? attributes : null,
            };
            yield return new ReplayRecord(transaction, isFraud is { } f ? DelayedLabels.For(transaction, f, LabelSource) : null);
        }
    }

    /// <summary>The card/address columns hashed to a short stable id; the same card always maps to the same id.</summary>
    public static string CardId(string[] row, int[] columns)
    {
        var key = string.Join('|', columns.Select(c => c >= 0 ? NormaliseNumber(row[c]) : string.Empty));
        return "ieee-" + DelayedLabels.Fnv1a(key).ToString("x16", CultureInfo.InvariantCulture);
    }

    // "150.0" and "150" are the same card in different dumps of the dataset.
    private static string NormaliseNumber(string value) =>
        value.EndsWith(".0", StringComparison.Ordinal) ? value[..^2] : value;

    private static Dictionary<string, List<(string Column, string Value)>> ReadIdentity(string path, Action<ReplayError> onError)
    {
        var byId = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal);
        using var rows = new CsvRows(path);
        var id = Required(rows, "TransactionID");
        while (rows.Read(out var row, out var error))
        {
            if (error is not null)
            {
                onError(new ReplayError(rows.Name, rows.Line, error));
                continue;
            }
            var columns = new List<(string, string)>();
            for (var i = 0; i < row!.Length; i++)
            {
                if (i != id && row[i].Length > 0)
                {
                    columns.Add((rows.Header[i], row[i]));
                }
            }
            byId[row[id]] = columns;
        }
        return byId;
    }

    private static int Required(CsvRows rows, string column)
    {
        var index = rows.IndexOf(column);
        return index >= 0 ? index : throw new InvalidDataException($"{rows.Name}: no '{column}' column in the header");
    }
}
