using System.Runtime.CompilerServices;

namespace Fraud.Streaming.Gbdt;

/// <summary>
/// The C# operators: RyuJIT never contracts them into FMA, so the managed backend and ILGPU's CPU accelerator (which
/// runs kernels as .NET code) round every operation on its own.
/// </summary>
internal readonly struct PlainFloatOps : IFloatOps
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Add(double a, double b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Sub(double a, double b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Mul(double a, double b) => a * b;
}
