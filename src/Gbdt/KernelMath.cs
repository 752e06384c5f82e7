using System.Runtime.Intrinsics;

namespace Fraud.Streaming.Gbdt;

/// <summary>
/// Arithmetic shared by the managed backend and the ILGPU kernels. It uses only +, -, *, /, integer shifts and
/// conversions, so every backend computes the same bits (Math.Exp differs between runtimes and devices).
/// </summary>
internal static class KernelMath
{
    private const double Ln2Hi = 0.693147180369123816490;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double InvLn2 = 1.44269504088896338700;
    private const double Inv3 = 1.0 / 3.0;
    private const double Inv4 = 1.0 / 4.0;
    private const double Inv5 = 1.0 / 5.0;
    private const double Inv6 = 1.0 / 6.0;
    private const double Inv7 = 1.0 / 7.0;
    private const double Inv8 = 1.0 / 8.0;
    private const double Inv9 = 1.0 / 9.0;
    private const double Inv10 = 1.0 / 10.0;
    private const double Inv11 = 1.0 / 11.0;
    private const double Inv12 = 1.0 / 12.0;
    private const double Inv13 = 1.0 / 13.0;

    /// <summary>exp(x) for |x| ≤ 40, within a few ulp.</summary>
    public static double Exp(double x)
    {
        var kd = x * InvLn2;
        var k = (int)(kd < 0 ? kd - 0.5 : kd + 0.5);
        var r = x - (k * Ln2Hi) - (k * Ln2Lo);
        // Taylor series on |r| <= ln2/2: 13 terms reach double precision. Multiplying by the reciprocals keeps the
        // chain free of divisions (each one costs as much as the whole rest of the row's gradient).
        var p = 1.0 + (r * Inv13);
        p = 1.0 + (r * Inv12 * p);
        p = 1.0 + (r * Inv11 * p);
        p = 1.0 + (r * Inv10 * p);
        p = 1.0 + (r * Inv9 * p);
        p = 1.0 + (r * Inv8 * p);
        p = 1.0 + (r * Inv7 * p);
        p = 1.0 + (r * Inv6 * p);
        p = 1.0 + (r * Inv5 * p);
        p = 1.0 + (r * Inv4 * p);
        p = 1.0 + (r * Inv3 * p);
        p = 1.0 + (r * 0.5 * p);
        p = 1.0 + (r * p);
        return k >= 0 ? p * (1L << k) : p / (1L << -k);
    }

    /// <summary>The logistic function of a margin, clamped where it saturates.</summary>
    public static double Sigmoid(double margin)
    {
        var x = margin > 40 ? 40 : margin < -40 ? -40 : margin;
        return 1.0 / (1.0 + Exp(-x));
    }

    /// <summary>
    /// <see cref="Sigmoid(double)"/> of eight margins at once, bit for bit: the same operations in the same order on every lane
    /// (2^k is built from its exponent bits; dividing by 2^-k, as the scalar form does for k &lt; 0, is the same exact
    /// scaling while the result stays a normal number, which it does for |x| ≤ 40).
    /// </summary>
    public static Vector512<double> Sigmoid(Vector512<double> margin)
    {
        var x = -Vector512.Min(Vector512.Max(margin, Vector512.Create(-40.0)), Vector512.Create(40.0));
        var kd = x * InvLn2;
        var k = Vector512.Truncate(kd + Vector512.ConditionalSelect(Vector512.LessThan(kd, Vector512<double>.Zero), Vector512.Create(-0.5), Vector512.Create(0.5)));
        var r = x - (k * Ln2Hi) - (k * Ln2Lo);
        var one = Vector512<double>.One;
        var p = one + (r * Inv13);
        p = one + (r * Inv12 * p);
        p = one + (r * Inv11 * p);
        p = one + (r * Inv10 * p);
        p = one + (r * Inv9 * p);
        p = one + (r * Inv8 * p);
        p = one + (r * Inv7 * p);
        p = one + (r * Inv6 * p);
        p = one + (r * Inv5 * p);
        p = one + (r * Inv4 * p);
        p = one + (r * Inv3 * p);
        p = one + (r * 0.5 * p);
        p = one + (r * p);
        var twoToK = Vector512.ShiftLeft(Vector512.ConvertToInt64(k) + Vector512.Create(1023L), 52).AsDouble();
        return one / (one + (p * twoToK));
    }

    /// <summary>Round half away from zero to a fixed-point integer.</summary>
    public static long Quantize(double value, double scale)
    {
        var scaled = value * scale;
        return scaled >= 0 ? (long)(scaled + 0.5) : -(long)(0.5 - scaled);
    }

    /// <summary>A well-mixed 64-bit hash (SplitMix64 finaliser) of a seed and two indices.</summary>
    public static ulong Hash(int seed, int a, int b)
    {
        var z = ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)a << 32) ^ (uint)b;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        z = (z ^ (z >> 29)) * 0xBF58476D1CE4E5B9UL;
        return z ^ (z >> 32);
    }

    /// <summary>Whether row <paramref name="row"/> is in round <paramref name="round"/>'s sample, independent of threads and device.</summary>
    public static bool RowSampled(int seed, int round, int row, ulong cutoff) => Hash(seed, round, row) < cutoff;

    /// <summary>The hash cutoff that keeps a fraction of rows.</summary>
    public static ulong SampleCutoff(double fraction) =>
        fraction >= 1.0 ? ulong.MaxValue : (ulong)(fraction * 18446744073709551615.0);

    /// <summary>Split gain (XGBoost form) of sending (gl, hl) left and the rest right.</summary>
    public static double Gain(double gl, double hl, double g, double h, double lambda)
    {
        var gr = g - gl;
        var hr = h - hl;
        return 0.5 * ((gl * gl / (hl + lambda)) + (gr * gr / (hr + lambda)) - (g * g / (h + lambda)));
    }
}
