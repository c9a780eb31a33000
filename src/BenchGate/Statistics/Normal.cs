namespace BenchGate.Statistics;

/// <summary>The standard normal distribution.</summary>
public static class Normal
{
    /// <summary>Φ(z), through erfc.</summary>
    public static double Cdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>Complementary error function, Numerical Recipes' erfcc (relative error below 1.2e-7).</summary>
    internal static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + (0.5 * z));
        double[] c = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
        var poly = 0.0;
        for (var i = c.Length - 1; i >= 1; i--)
        {
            poly = (poly + c[i]) * t;
        }

        var r = t * Math.Exp(-(z * z) + c[0] + poly);
        return x >= 0 ? r : 2 - r;
    }
}
