using System.Security.Cryptography;
using System.Text;
using Fraud.Streaming.Trainer.Training;

namespace Fraud.Streaming.Trainer.Publishing;

/// <summary>
/// Identifies what a model was trained from: SHA-256 over the labelled rows' (transaction id, is_fraud) pairs
/// sorted by id, the feature spec hash and the parameters. Same data window, spec and parameters: same hash,
/// which is how the registry refuses a duplicate.
/// </summary>
internal static class ContentHash
{
    public static string Compute(FeatureTable labelled, string featureSpecHash, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var order = Enumerable.Range(0, labelled.RowCount).ToArray();
        Array.Sort(order, (a, b) => string.CompareOrdinal(labelled.TransactionIds[a], labelled.TransactionIds[b]));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[256];
        foreach (var i in order)
        {
            var line = $"{labelled.TransactionIds[i]}\t{(labelled.Labels[i] ? '1' : '0')}\n";
            var count = Encoding.UTF8.GetByteCount(line);
            if (count > buffer.Length)
            {
                buffer = new byte[count];
            }
            hash.AppendData(buffer, 0, Encoding.UTF8.GetBytes(line, buffer));
        }
        hash.AppendData(Encoding.UTF8.GetBytes($"feature_spec={featureSpecHash}\n"));
        foreach (var (key, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{key}={value}\n"));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
