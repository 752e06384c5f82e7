namespace Fraud.Streaming.Testing;

/// <summary>A fact that needs Kafka (the dev stack's DevKafka, <c>FRAUD_KAFKA_BOOTSTRAP</c>, or Testcontainers); skipped with the reason otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class KafkaFactAttribute : FactAttribute
{
    public KafkaFactAttribute() => Skip ??= SkipReasons.Kafka;
}

/// <summary>A theory that needs Kafka; see <see cref="KafkaFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class KafkaTheoryAttribute : TheoryAttribute
{
    public KafkaTheoryAttribute() => Skip ??= SkipReasons.Kafka;
}

/// <summary>A fact about DevKafka itself (its fixed ports and precreated topics); a Testcontainers broker does not count.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DevKafkaFactAttribute : FactAttribute
{
    public DevKafkaFactAttribute() => Skip ??= SkipReasons.DevKafka;
}

/// <summary>A fact that needs PostgreSQL (the dev stack, <c>FRAUD_PG</c>, or Testcontainers); skipped with the reason otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip ??= SkipReasons.Postgres;
}

/// <summary>A theory that needs PostgreSQL; see <see cref="PostgresFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute() => Skip ??= SkipReasons.Postgres;
}

/// <summary>A fact that needs the S3 stand-in (<c>FRAUD_S3_URL</c> and <c>FRAUD_S3_BUCKET</c>); skipped with the reason otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class S3FactAttribute : FactAttribute
{
    public S3FactAttribute() => Skip ??= SkipReasons.S3;
}

/// <summary>A theory that needs the S3 stand-in; see <see cref="S3FactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class S3TheoryAttribute : TheoryAttribute
{
    public S3TheoryAttribute() => Skip ??= SkipReasons.S3;
}

/// <summary>A fact that needs both Kafka and PostgreSQL; skipped with the reason otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StackFactAttribute : FactAttribute
{
    public StackFactAttribute() => Skip ??= SkipReasons.Stack;
}

/// <summary>A theory that needs both Kafka and PostgreSQL; see <see cref="StackFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StackTheoryAttribute : TheoryAttribute
{
    public StackTheoryAttribute() => Skip ??= SkipReasons.Stack;
}
