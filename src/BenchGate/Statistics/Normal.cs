namespace BenchGate.Statistics;

/// <summary>The standard normal distribution.</summary>
public static class Normal
{
    /// <summary>Φ(z), through erfc (relative error ~1e-14).</summary>
    public static double Cdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>
    /// Complementary error function: below 3 as 1 − erf from erf's series of positive terms (no cancellation),
    /// from 3 up by its continued fraction (modified Lentz), which converges fastest there.
    /// </summary>
    internal static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x < 0)
        {
            return 2 - Erfc(-x);
        }

        return x < 3 ? 1 - ErfSeries(x) : ErfcContinuedFraction(x);
    }

    // erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1))
    private static double ErfSeries(double x)
    {
        double term = x, sum = x;
        for (var n = 1; n < 200 && term > 1e-17 * sum; n++)
        {
            term *= 2 * x * x / ((2 * n) + 1);
            sum += term;
        }

        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }

    // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))
    private static double ErfcContinuedFraction(double x)
    {
        const double Tiny = 1e-300;
        var f = x;
        var c = x;
        var d = 0.0;
        for (var k = 1; k < 500; k++)
        {
            var a = k / 2.0;
            d = x + (a * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = x + (a / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }
}
