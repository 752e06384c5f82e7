namespace Fraud.Streaming.Gbdt;

/// <summary>
/// The double-precision +, - and * that <see cref="KernelMath"/> is written in. Every implementation rounds each
/// operation to nearest on its own (IEEE 754), so all backends compute the same bits; they differ only in how they keep
/// a compiler from fusing a multiply and an add into one FMA, which rounds once and gives other bits.
/// </summary>
internal interface IFloatOps
{
    double Add(double a, double b);

    double Sub(double a, double b);

    double Mul(double a, double b);
}
