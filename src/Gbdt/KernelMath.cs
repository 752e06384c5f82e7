using System.Runtime.Intrinsics;

namespace Fraud.Streaming.Gbdt;

/// <summary>
/// Arithmetic shared by the managed backend and the ILGPU kernels. It uses only +, -, *, /, integer shifts and
/// conversions, so every backend computes the same bits (Math.Exp differs between runtimes and devices); the generic
/// forms take their +, - and * from an <see cref="IFloatOps"/>, so no compiler fuses a multiply and an add.
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
    public static double Exp(double x) => Exp<PlainFloatOps>(x);

    /// <summary><see cref="Exp(double)"/> in the arithmetic <typeparamref name="TOps"/> (the same bits in every one).</summary>
    public static double Exp<TOps>(double x)
        where TOps : struct, IFloatOps
    {
        var o = default(TOps);
        var kd = o.Mul(x, InvLn2);
        var k = (int)(kd < 0 ? o.Sub(kd, 0.5) : o.Add(kd, 0.5));
        var r = o.Sub(o.Sub(x, o.Mul(k, Ln2Hi)), o.Mul(k, Ln2Lo));
        // Taylor series on |r| <= ln2/2: 13 terms reach double precision. Multiplying by the reciprocals keeps the
        // chain free of divisions (each one costs as much as the whole rest of the row's gradient).
        var p = o.Add(1.0, o.Mul(r, Inv13));
        p = o.Add(1.0, o.Mul(o.Mul(r, Inv12), p));
        p = o.Add(1.0, o.Mul(o.Mul(r, Inv11), p));
        p = o.Add(1.0, o.Mul(o.Mul(r, Inv10), p));
        p = o.Add(1.0, o.Mul(o.Mul(r, Inv9), p));
        p = o.Add(1.0, o.Mul(o.Mul(r, Inv8), p));
        p = o.Add(1.0, o.Mul(o.Mul(r, Inv7), p));
        p = o.Add(1.0, o.Mul(o.Mul(r, Inv6), p));
        p = o.Add(1.0, o.Mul(o.Mul(r, Inv5), p));
        p = o.Add(1.0, o.Mul(o.Mul(r, Inv4), p));
        p = o.Add(1.0, o.Mul(o.Mul(r, Inv3), p));
        p = o.Add(1.0, o.Mul(o.Mul(r, 0.5), p));
        p = o.Add(1.0, o.Mul(r, p));
        return k >= 0 ? o.Mul(p, 1L << k) : p / (1L << -k);
    }

    /// <summary>The logistic function of a margin, clamped where it saturates.</summary>
    public static double Sigmoid(double margin) => Sigmoid<PlainFloatOps>(margin);

    /// <summary><see cref="Sigmoid(double)"/> in the arithmetic <typeparamref name="TOps"/>.</summary>
    public static double Sigmoid<TOps>(double margin)
        where TOps : struct, IFloatOps
    {
        var x = margin > 40 ? 40 : margin < -40 ? -40 : margin;
        return 1.0 / default(TOps).Add(1.0, Exp<TOps>(-x));
    }

    /// <summary>
    /// The weighted logloss gradient and hessian of one row at <paramref name="margin"/> (positives weigh
    /// <paramref name="positiveWeight"/>, negatives 1).
    /// </summary>
    public static (double G, double H) LogLossGradient<TOps>(double margin, bool positive, double positiveWeight)
        where TOps : struct, IFloatOps
    {
        var o = default(TOps);
        var p = Sigmoid<TOps>(margin);
        var w = positive ? positiveWeight : 1.0;
        return (o.Mul(w, o.Sub(p, positive ? 1.0 : 0.0)), o.Mul(o.Mul(w, p), o.Sub(1.0, p)));
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
    public static long Quantize(double value, double scale) => Quantize<PlainFloatOps>(value, scale);

    /// <summary><see cref="Quantize(double, double)"/> in the arithmetic <typeparamref name="TOps"/>.</summary>
    public static long Quantize<TOps>(double value, double scale)
        where TOps : struct, IFloatOps
    {
        var o = default(TOps);
        var scaled = o.Mul(value, scale);
        return scaled >= 0 ? (long)o.Add(scaled, 0.5) : -(long)o.Sub(0.5, scaled);
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
    public static double Gain(double gl, double hl, double g, double h, double lambda) => Gain<PlainFloatOps>(gl, hl, g, h, lambda);

    /// <summary><see cref="Gain(double, double, double, double, double)"/> in the arithmetic <typeparamref name="TOps"/>.</summary>
    public static double Gain<TOps>(double gl, double hl, double g, double h, double lambda)
        where TOps : struct, IFloatOps
    {
        var o = default(TOps);
        var gr = o.Sub(g, gl);
        var hr = o.Sub(h, hl);
        return o.Mul(0.5, o.Sub(o.Add(o.Mul(gl, gl) / o.Add(hl, lambda), o.Mul(gr, gr) / o.Add(hr, lambda)), o.Mul(g, g) / o.Add(h, lambda)));
    }
}
