namespace Fraud.Streaming.Monitoring.History;

/// <summary>A message that does not go into history, and why; stored in <c>dead_letters</c> (migration 0004).</summary>
/// <param name="Reason">a small fixed set (a metric label): the contract's reject codes, <c>duplicate_transaction_id</c>, <c>database_refused</c>.</param>
internal sealed record DeadLetter(SourcePosition Source, string Reason, string Detail, byte[]? Payload)
{
    /// <summary>The code for a row the database refused for good (SQLSTATE classes 22, 23, 54): isolated from its batch.</summary>
    public const string DatabaseRefused = "database_refused";

    /// <summary>The most of a payload stored.</summary>
    public const int MaxPayload = 64 * 1024;

    private const int MaxDetail = 2000;

    /// <summary>The detail as a Postgres text value: without NUL, bounded.</summary>
    public string StorableDetail
    {
        get
        {
            var detail = Detail.Replace('\0', '\uFFFD');
            return detail.Length > MaxDetail ? detail[..MaxDetail] : detail;
        }
    }

    /// <summary>The payload as stored: at most <see cref="MaxPayload"/> bytes.</summary>
    public byte[]? StoredPayload => Payload is { Length: > MaxPayload } p ? p[..MaxPayload] : Payload;
}
