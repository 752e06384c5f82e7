using System.Reflection;
using System.Text.RegularExpressions;
using Fraud.Streaming.Monitoring;
using Fraud.Streaming.Monitoring.Quality;
using Fraud.Streaming.Monitoring.Retraining;
using Fraud.Streaming.Scorer;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Postgres;
using Fraud.Streaming.Shared.Trust;
using Fraud.Streaming.Trainer.Metrics;

namespace Fraud.Streaming.Deploy.Tests;

/// <summary>
/// The configuration keys each deployable reads, as environment variable names (<c>Section__Property</c>), derived
/// from its options classes: renaming a setting in code breaks every deploy file that still uses the old name.
/// </summary>
internal static partial class ConfigurationKeys
{
    private static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> ByDeployable = new Dictionary<string, IReadOnlySet<string>>
    {
        ["producer"] = Keys((KafkaOptions.Section, typeof(KafkaOptions))),
        ["aggregator"] = Keys((KafkaOptions.Section, typeof(KafkaOptions)), (Aggregator.AggregatorOptions.Section, typeof(Aggregator.AggregatorOptions))),
        ["scorer"] = Keys((KafkaOptions.Section, typeof(KafkaOptions)), (ScorerOptions.Section, typeof(ScorerOptions)),
            (StateOptions.Section, typeof(StateOptions)), (ModelStoreOptions.Section, typeof(ModelStoreOptions)),
            (TrustOptions.Section, typeof(TrustOptions)), (DriftOptions.Section, typeof(DriftOptions))),
        ["monitoring"] = Keys((KafkaOptions.Section, typeof(KafkaOptions)), (PostgresOptions.Section, typeof(PostgresOptions)),
            (MonitoringOptions.Section, typeof(MonitoringOptions)), (QualityOptions.Section, typeof(QualityOptions)),
            (RetrainOptions.Section, typeof(RetrainOptions))),
        ["trainer"] = Keys((KafkaOptions.Section, typeof(KafkaOptions)), (PostgresOptions.Section, typeof(PostgresOptions)),
            (ModelStoreOptions.Section, typeof(ModelStoreOptions)), (PushgatewayOptions.Section, typeof(PushgatewayOptions)),
            (SigningOptions.Section, typeof(SigningOptions))),
    };

    /// <summary>
    /// Whether <paramref name="deployable"/> reads <paramref name="key"/>; an element of a list setting is named with
    /// its index (<c>Trust__PublicKeyFiles__0</c>).
    /// </summary>
    public static bool Reads(string deployable, string key) =>
        ByDeployable[deployable].Contains(ListElement().Replace(key, ""));

    /// <summary>A configuration key as an environment variable: it has a section separator.</summary>
    public static bool IsSetting(string name) => name.Contains("__", StringComparison.Ordinal);

    /// <summary>Settings that carry credentials: only ever from a Secret.</summary>
    public static bool IsCredential(string name) =>
        name is "Postgres__ConnectionString" or "ModelStore__AccessKey" or "ModelStore__SecretKey" or "Signing__PrivateKey";

    private static HashSet<string> Keys(params (string Section, Type Options)[] sections) =>
    [
        .. from s in sections
           from p in s.Options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
           where p.CanWrite
           select $"{s.Section}__{p.Name}",
    ];

    [GeneratedRegex(@"__[0-9]+$")]
    private static partial Regex ListElement();
}
