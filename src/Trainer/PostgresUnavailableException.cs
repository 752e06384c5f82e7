namespace Fraud.Streaming.Trainer;

/// <summary>Postgres cannot be used; the message is the one line the operator sees.</summary>
internal sealed class PostgresUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
