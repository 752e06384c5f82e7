using System.Runtime.InteropServices;
using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Shared.Tests;

/// <summary>Bitwise comparison of card states (the default struct equality cannot compare inline arrays).</summary>
internal static class CardStateBytes
{
    public static byte[] Of(in CardState state) => MemoryMarshal.AsBytes(new ReadOnlySpan<CardState>(in state)).ToArray();

    public static void AssertEqual(in CardState expected, in CardState actual) => Assert.Equal(Of(expected), Of(actual));
}
