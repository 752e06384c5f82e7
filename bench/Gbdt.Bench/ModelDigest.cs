using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Fraud.Streaming.Gbdt.Bench;

/// <summary>
/// A short hash of every split, threshold and leaf value: two builds that should grow the same trees (a speed change)
/// print the same digest, whatever the data size.
/// </summary>
internal static class ModelDigest
{
    public static string Of(GbdtModel model)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(BitConverter.GetBytes(model.BaseMargin));
        foreach (var tree in model.Trees)
        {
            hash.AppendData(MemoryMarshal.AsBytes(tree.SplitFeature.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(tree.Threshold.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(tree.Left.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(tree.Right.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(tree.LeafValues.AsSpan()));
        }
        return Convert.ToHexString(hash.GetHashAndReset(), 0, 8);
    }
}
