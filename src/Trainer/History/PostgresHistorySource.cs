using System.Runtime.CompilerServices;
using Fraud.Streaming.Shared.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// History from the Monitoring tables with one binary COPY: every transaction, left-joined to its label,
/// ordered as the pipeline needs. Streams; memory holds only the features of labelled rows.
/// </summary>
internal sealed class PostgresHistorySource(NpgsqlDataSource dataSource) : IHistorySource
{
    // COLLATE "C" orders ids by bytes, like the ordinal sort of file mode, whatever the database's collation.
    private const string Query = """
        COPY (
            SELECT t.transaction_id, t.card_id, t.event_time, t.merchant_id, t.merchant_category, t.amount,
                   t.currency, t.country, t.channel, t.device_id, t.ip, t.email_domain, l.is_fraud
            FROM transactions t
            LEFT JOIN labels l ON l.transaction_id = t.transaction_id
            ORDER BY t.event_time, t.transaction_id COLLATE "C"
        ) TO STDOUT (FORMAT BINARY)
        """;

    public string Description => "postgres transactions ⟕ labels";

    public async IAsyncEnumerable<HistoryRow> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var reader = await connection.BeginBinaryExportAsync(Query, cancellationToken);
        while (await reader.StartRowAsync(cancellationToken) != -1)
        {
            var transaction = new Transaction
            {
                TransactionId = await reader.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken),
                CardId = await reader.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken),
                EventTime = new DateTimeOffset(await reader.ReadAsync<DateTime>(NpgsqlDbType.TimestampTz, cancellationToken)),
                MerchantId = await reader.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken),
                MerchantCategory = await reader.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken),
                Amount = await reader.ReadAsync<double>(NpgsqlDbType.Double, cancellationToken),
                Currency = await reader.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken),
                Country = await reader.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken),
                Channel = await reader.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken),
                DeviceId = await ReadNullableTextAsync(reader, cancellationToken),
                Ip = await ReadNullableTextAsync(reader, cancellationToken),
                EmailDomain = await ReadNullableTextAsync(reader, cancellationToken),
            };
            bool? isFraud = reader.IsNull ? null : await reader.ReadAsync<bool>(NpgsqlDbType.Boolean, cancellationToken);
            if (isFraud is null)
            {
                await reader.SkipAsync(cancellationToken);
            }
            yield return new HistoryRow(transaction, isFraud);
        }
    }

    private static async ValueTask<string?> ReadNullableTextAsync(NpgsqlBinaryExporter reader, CancellationToken cancellationToken)
    {
        if (reader.IsNull)
        {
            await reader.SkipAsync(cancellationToken);
            return null;
        }
        return await reader.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken);
    }
}
