namespace Fraud.Streaming.Shared.Features;

/// <summary>128 bits of a per-card Bloom filter, inline in <see cref="CardState"/>.</summary>
[System.Runtime.CompilerServices.InlineArray(2)]
public struct BloomBits128
{
    private ulong _element0;
}
