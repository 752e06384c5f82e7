using System.Globalization;
using System.Text.Json;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.DataSets.Replay;

/// <summary>
/// PaySim mobile-money CSV: <c>step</c> (hours) becomes the event time from the start date, <c>nameOrig</c> the
/// card, <c>nameDest</c> the merchant, <c>type</c> the category, <c>isFraud</c> a delayed label; balances go into
/// <c>attributes</c>.
/// </summary>
public static class PaySimSource
{
    public const string LabelSource = "paysim";

    public static IEnumerable<ReplayRecord> Read(ReplaySettings settings, Action<ReplayError> onError)
    {
        using var rows = new CsvRows(settings.Input);
        int Required(string column) => rows.IndexOf(column) is >= 0 and var i ? i : throw new InvalidDataException($"{rows.Name}: no '{column}' column in the header");
        var step = Required("step");
        var type = Required("type");
        var amountAt = Required("amount");
        var origin = Required("nameOrig");
        var dest = Required("nameDest");
        var fraudAt = rows.IndexOf("isFraud");
        string[] extras = ["oldbalanceOrg", "newbalanceOrig", "oldbalanceDest", "newbalanceDest", "isFlaggedFraud"];
        var extraAt = extras.Select(rows.IndexOf).ToArray();

        while (rows.Read(out var row, out var error))
        {
            if (error is not null)
            {
                onError(new ReplayError(rows.Name, rows.Line, error));
                continue;
            }
            var r = row!;
            if (!int.TryParse(r[step], NumberStyles.Integer, CultureInfo.InvariantCulture, out var hours) || hours < 0)
            {
                onError(new ReplayError(rows.Name, rows.Line, $"step '{r[step]}' is not a non-negative hour"));
                continue;
            }
            if (!double.TryParse(r[amountAt], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount < 0 || !double.IsFinite(amount))
            {
                onError(new ReplayError(rows.Name, rows.Line, $"amount '{r[amountAt]}' is not a non-negative amount"));
                continue;
            }
            if (r[origin].Length == 0)
            {
                onError(new ReplayError(rows.Name, rows.Line, "nameOrig is empty"));
                continue;
            }
            bool? isFraud = fraudAt < 0 ? null : r[fraudAt] switch { "1" => true, "0" => false, _ => null };
            if (fraudAt >= 0 && isFraud is null)
            {
                onError(new ReplayError(rows.Name, rows.Line, $"isFraud '{r[fraudAt]}' is neither 0 nor 1"));
                continue;
            }
            var attributes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            for (var i = 0; i < extras.Length; i++)
            {
                if (extraAt[i] >= 0 && r[extraAt[i]].Length > 0)
                {
                    attributes[extras[i]] = ReplayValues.Element(r[extraAt[i]]);
                }
            }
            var transaction = new Transaction
            {
                TransactionId = string.Create(CultureInfo.InvariantCulture, $"paysim-{rows.Line}"),
                EventTime = settings.Start.AddHours(hours),
                CardId = r[origin],
                MerchantId = r[dest],
                MerchantCategory = r[type].ToLowerInvariant(),
                Amount = amount,
                Currency = "USD",
                Country = "ZZ",
                Channel = "mobile",
                Attributes = attributes.Count > 0 ? attributes : null,
            };
            yield return new ReplayRecord(transaction, isFraud is { } f ? DelayedLabels.For(transaction, f, LabelSource) : null);
        }
    }
}
