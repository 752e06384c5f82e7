using System.Security.Cryptography;
using System.Text;
using Fraud.Streaming.Trainer.Training;

namespace Fraud.Streaming.Trainer.Publishing;

/// <summary>
/// Identifies what a model was trained from: SHA-256 over the labelled rows' (transaction id, is_fraud) pairs
/// sorted by id (by UTF-8 bytes, the history order), the feature spec hash and the parameters. Same data window, spec and parameters: same hash,
/// which is how the registry refuses a duplicate.
/// </summary>
internal static class ContentHash
{
    public static string Compute(FeatureTable labelled, string featureSpecHash, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var ids = labelled.TransactionIds;
        var order = Enumerable.Range(0, labelled.RowCount).ToArray();
        Array.Sort(order, (a, b) => ids.Bytes(a).SequenceCompareTo(ids.Bytes(b)));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[256];
        foreach (var i in order)
        {
            // "{id}\t{0|1}\n" in UTF-8
            var id = ids.Bytes(i);
            if (id.Length + 3 > buffer.Length)
            {
                buffer = new byte[id.Length + 3];
            }
            id.CopyTo(buffer);
            buffer[id.Length] = (byte)'\t';
            buffer[id.Length + 1] = labelled.Labels[i] ? (byte)'1' : (byte)'0';
            buffer[id.Length + 2] = (byte)'\n';
            hash.AppendData(buffer, 0, id.Length + 3);
        }
        hash.AppendData(Encoding.UTF8.GetBytes($"feature_spec={featureSpecHash}\n"));
        foreach (var (key, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{key}={value}\n"));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
