namespace Fraud.Streaming.Shared.Contracts;

/// <summary>Why a message was refused. <see cref="Code"/> is a small fixed set (a metric label); <see cref="Detail"/> is free text.</summary>
public readonly record struct RejectReason(RejectCode Code, string Detail)
{
    public string CodeName => NameOf(Code);

    /// <summary>The snake_case name of a code, as it appears in DLQ headers, dead-letter rows and metric labels.</summary>
    public static string NameOf(RejectCode code) => code switch
    {
        RejectCode.EmptyMessage => "empty_message",
        RejectCode.BadJson => "bad_json",
        RejectCode.MissingField => "missing_field",
        RejectCode.InvalidField => "invalid_field",
        RejectCode.InvalidAmount => "invalid_amount",
        RejectCode.InvalidEventTime => "invalid_event_time",
        RejectCode.UnsupportedSchemaVersion => "unsupported_schema_version",
        RejectCode.TooLarge => "too_large",
        RejectCode.KeyMismatch => "key_mismatch",
        RejectCode.DuplicateTransactionId => "duplicate_transaction_id",
        _ => "unknown",
    };

    /// <summary>Every code name a consumer may report (to publish metric series at zero).</summary>
    public static IEnumerable<string> AllCodeNames =>
        Enum.GetValues<RejectCode>().Where(c => c != RejectCode.None).Select(NameOf);
}
