namespace Fraud.Streaming.Shared.Features;

/// <summary>256 bits of a per-card Bloom filter, inline in <see cref="CardState"/>.</summary>
[System.Runtime.CompilerServices.InlineArray(4)]
public struct BloomBits256
{
    private ulong _element0;
}
