namespace Fraud.Streaming.Shared.Features;

/// <summary>
/// Exp, log, sin and cos built only from IEEE 754 double additions, multiplications, divisions and exact
/// power-of-two scaling. Those operations round the same on every conforming machine, whereas
/// <see cref="Math.Exp"/> and friends call the platform's C library, whose last bit may differ between
/// libraries and versions. The features cast the results to float32, so the polynomials only need to be far
/// more accurate than float32 (they are within about 1e-15 relative), and they must never change.
/// </summary>
public static class DeterministicMath
{
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double InvLn2 = 1.44269504088896338700e+00;
    private const double Sqrt2 = 1.41421356237309504880;

    // The plain series: exact to double precision, used only to fill the tables below.
    private static double SeriesExp(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }
        if (x < -700d)
        {
            return 0d;
        }
        if (x > 700d)
        {
            return double.PositiveInfinity;
        }
        // x = k ln2 + r with |r| <= ln2/2; ln2 split in two so k*ln2 is exact enough.
        var k = Math.Round(x * InvLn2, MidpointRounding.ToEven);
        var r = (x - (k * Ln2Hi)) - (k * Ln2Lo);
        // Taylor series of e^r to r^14/14!: the tail is below 1e-17 for |r| <= 0.35.
        var term = 1d;
        var sum = 1d;
        for (var n = 1; n <= 14; n++)
        {
            term = term * r / n;
            sum += term;
        }
        return Math.ScaleB(sum, (int)k);
    }

    private static double SeriesLog(double x)
    {
        if (double.IsNaN(x) || x < 0d)
        {
            return double.NaN;
        }
        if (x == 0d)
        {
            return double.NegativeInfinity;
        }
        if (double.IsPositiveInfinity(x))
        {
            return x;
        }
        // x = m 2^e with m in [sqrt(1/2), sqrt(2)); log m = 2 atanh(s), s = (m-1)/(m+1), |s| < 0.172.
        var e = Math.ILogB(x);
        var m = Math.ScaleB(x, -e);
        if (m >= Sqrt2)
        {
            m *= 0.5d;
            e++;
        }
        var s = (m - 1d) / (m + 1d);
        var s2 = s * s;
        var power = s;
        var sum = s;
        for (var n = 3; n <= 29; n += 2)
        {
            power *= s2;
            sum += power / n;
        }
        return (e * Ln2Hi) + ((e * Ln2Lo) + (2d * sum));
    }

    private const int TableBits = 5;
    private const int TableSize = 1 << TableBits;
    private static readonly double[] Exp2Table = BuildExp2Table();
    private static readonly double[] LogTable = BuildLogTable();
    private static readonly double[] InverseTable = BuildInverseTable();
    private static readonly double[] Log1PSeries = [.. Enumerable.Range(0, 13).Select(n => n == 0 ? 0d : ((n & 1) == 1 ? 1d : -1d) / n)];
    private const double InvLn2Table = TableSize * InvLn2;
    private const double Ln2HiTable = Ln2Hi / TableSize;
    private const double Ln2LoTable = Ln2Lo / TableSize;

    /// <summary>e^x; 0 below -700, +inf above 700.</summary>
    public static double Exp(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }
        if (x < -700d)
        {
            return 0d;
        }
        if (x > 700d)
        {
            return double.PositiveInfinity;
        }
        // x = (k/32) ln2 + r with |r| <= ln2/64, so six terms of the series suffice.
        var k = (long)Math.Round(x * InvLn2Table, MidpointRounding.ToEven);
        var r = (x - (k * Ln2HiTable)) - (k * Ln2LoTable);
        var p = 1d / 720d;
        p = (p * r) + (1d / 120d);
        p = (p * r) + (1d / 24d);
        p = (p * r) + (1d / 6d);
        p = (p * r) + 0.5d;
        p = (p * r) + 1d;
        p = (p * r) + 1d;
        var j = (int)(k & (TableSize - 1));
        return Math.ScaleB(Exp2Table[j] * p, (int)((k - j) >> TableBits));
    }

    /// <summary>Natural logarithm; NaN below 0, -inf at 0.</summary>
    public static double Log(double x)
    {
        if (double.IsNaN(x) || x <= 0d || double.IsPositiveInfinity(x))
        {
            return SeriesLog(x);
        }
        // x = m 2^e, m in [1, 2); m = c (1 + t) with c = 1 + j/32 and 0 <= t < 1/32.
        var e = Math.ILogB(x);
        var m = Math.ScaleB(x, -e);
        var j = (int)((m - 1d) * TableSize);
        var t = (m - (1d + ((double)j / TableSize))) * InverseTable[j];
        // log(1+t) = t - t^2/2 + ... - t^12/12 by Horner; |t| < 1/32 leaves a tail below 1e-19.
        var p = Log1PSeries[12];
        for (var n = 11; n >= 1; n--)
        {
            p = (p * t) + Log1PSeries[n];
        }
        p *= t;
        return (e * Ln2Hi) + ((e * Ln2Lo) + (LogTable[j] + p));
    }

    /// <summary>log(1 + x) for x &gt;= 0 as a float32, as the amount and count features use it.</summary>
    public static float Log1P(double x) => (float)Log(1d + x);

    private static double[] BuildExp2Table()
    {
        var table = new double[TableSize];
        for (var j = 0; j < TableSize; j++)
        {
            table[j] = SeriesExp((j * Ln2HiTable) + (j * Ln2LoTable));
        }
        return table;
    }

    private static double[] BuildLogTable()
    {
        var table = new double[TableSize];
        for (var j = 0; j < TableSize; j++)
        {
            table[j] = SeriesLog(1d + ((double)j / TableSize));
        }
        return table;
    }

    private static double[] BuildInverseTable()
    {
        var table = new double[TableSize];
        for (var j = 0; j < TableSize; j++)
        {
            table[j] = 1d / (1d + ((double)j / TableSize));
        }
        return table;
    }

    /// <summary>Sine of an angle in [-2pi, 2pi] (the calendar encodings need no more).</summary>
    public static double Sin(double x)
    {
        x = Reduce(x);
        var x2 = x * x;
        var term = x;
        var sum = x;
        for (var n = 1; n <= 12; n++)
        {
            term = -term * x2 / ((2 * n) * ((2 * n) + 1));
            sum += term;
        }
        return sum;
    }

    /// <summary>Cosine of an angle in [-2pi, 2pi].</summary>
    public static double Cos(double x)
    {
        x = Reduce(x);
        var x2 = x * x;
        var term = 1d;
        var sum = 1d;
        for (var n = 1; n <= 12; n++)
        {
            term = -term * x2 / (((2 * n) - 1) * (2 * n));
            sum += term;
        }
        return sum;
    }

    // Into [-pi, pi], where 12 terms of the series are exact to double precision.
    private static double Reduce(double x)
    {
        const double twoPi = 2d * Math.PI;
        if (x > Math.PI)
        {
            x -= twoPi;
        }
        else if (x < -Math.PI)
        {
            x += twoPi;
        }
        return x;
    }
}
