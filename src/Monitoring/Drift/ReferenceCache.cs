using System.Collections.Concurrent;
using System.Diagnostics;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Drift;
using Npgsql;

namespace Fraud.Streaming.Monitoring.Drift;

/// <summary>
/// Model versions' drift references, read from the registry's manifests (<c>model_versions</c>) once each. A version not
/// registered (a package loaded from a folder) is looked up again after a minute. Lookups run on the caller's connection.
/// </summary>
internal sealed class ReferenceCache
{
    private static readonly long RetryTicks = Stopwatch.Frequency * 60;
    private readonly ConcurrentDictionary<string, DriftReference> _found = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _missing = new(StringComparer.Ordinal);

    /// <returns>the reference; null when the version is not registered or its manifest has no bins.</returns>
    public async Task<DriftReference?> GetAsync(NpgsqlConnection connection, string version, CancellationToken cancellationToken)
    {
        if (_found.TryGetValue(version, out var known))
        {
            return known;
        }
        if (_missing.TryGetValue(version, out var since) && Stopwatch.GetTimestamp() - since < RetryTicks)
        {
            return null;
        }
        await using var command = new NpgsqlCommand("SELECT manifest::text FROM model_versions WHERE version = $1 LIMIT 1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        if (await command.ExecuteScalarAsync(cancellationToken) is string json
            && DriftReference.For(ContractJson.DeserializeManifest(System.Text.Encoding.UTF8.GetBytes(json)), out _) is { } reference)
        {
            _missing.TryRemove(version, out _);
            return _found[version] = reference;
        }
        _missing[version] = Stopwatch.GetTimestamp();
        return null;
    }
}
