namespace BenchGate.Statistics;

/// <summary>Estimators one outlier cannot move (llama-bench's first repetition is often a cold outlier).</summary>
public static class Robust
{
    public static double Median(ReadOnlySpan<double> xs)
    {
        if (xs.IsEmpty)
        {
            return double.NaN;
        }

        // Detect takes medians of a few repetitions hundreds of thousands of times: sort a copy on the stack.
        Span<double> sorted = xs.Length <= 128 ? stackalloc double[xs.Length] : new double[xs.Length];
        xs.CopyTo(sorted);
        sorted.Sort();
        var n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>
    /// Shamos' scale: median of |xᵢ − xⱼ| over pairs, times a factor that makes it unbiased for σ of normal data at
    /// every n (Park, Kim &amp; Wang 2020, Table A2, as Perfolizer's ShamosEstimator): the large-sample constant
    /// 1.048 alone overestimates σ by ~10% at llama-bench's 5 repetitions and ~30% at 3. Breakdown point 29%:
    /// one wild value among ≥ 4 does not move it.
    /// </summary>
    public static double Shamos(ReadOnlySpan<double> xs)
    {
        if (xs.Length < 2)
        {
            return 0;
        }

        var pairs = xs.Length * (xs.Length - 1) / 2;
        Span<double> diffs = pairs <= 128 ? stackalloc double[pairs] : new double[pairs];
        var k = 0;
        for (var i = 0; i < xs.Length; i++)
        {
            for (var j = i + 1; j < xs.Length; j++)
            {
                diffs[k++] = Math.Abs(xs[i] - xs[j]);
            }
        }

        return ShamosFactor(xs.Length) * Median(diffs);
    }

    /// <summary>The factor that makes Shamos' median of pairwise distances mean-unbiased for σ at sample size <paramref name="n"/> (n ≥ 2).</summary>
    public static double ShamosFactor(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 2);
        var bias = n <= 100 ? ShamosBias[n] : (0.414253297 / n) - (0.442396799 / n / n);
        return 1 / (ShamosAsymptoticBias * (1 + bias));
    }

    // √2 · Φ⁻¹(0.75): the median pairwise distance of a large normal sample, in units of σ.
    private const double ShamosAsymptoticBias = 0.9538726;

    // Relative bias A_n of the consistent estimator at n = 0..100 (Park, Kim & Wang 2020, Table A2; simulated).
    private static readonly double[] ShamosBias =
    [
        double.NaN, double.NaN, 0.1831500, 0.2989400, 0.1582782, 0.1011748, 0.1005038, 0.0676993, 0.0609574, 0.0543760,
        0.0476839, 0.0426722, 0.0385003, 0.0353028, 0.0323526, 0.0299677, 0.0280421, 0.0262195, 0.0247674, 0.0232297,
        0.0220155, 0.0208687, 0.0199446, 0.0189794, 0.0182343, 0.0174421, 0.0166364, 0.0160158, 0.0153715, 0.0148940,
        0.0144027, 0.0138855, 0.0134510, 0.0130228, 0.0127183, 0.0122444, 0.0118214, 0.0115469, 0.0113206, 0.0109636,
        0.0106308, 0.0104384, 0.0100693, 0.0098523, 0.0096735, 0.0094973, 0.0092210, 0.0089781, 0.0088083, 0.0086574,
        0.0084772, 0.0082120, 0.0081874, 0.0079775, 0.0078126, 0.0076743, 0.0075212, 0.0074051, 0.0072528, 0.0071807,
        0.0070617, 0.0069123, 0.0067833, 0.0066439, 0.0065821, 0.0064889, 0.0063844, 0.0062930, 0.0061910, 0.0061255,
        0.0060681, 0.0058994, 0.0058235, 0.0057172, 0.0056805, 0.0056343, 0.0055605, 0.0055011, 0.0053872, 0.0053062,
        0.0052348, 0.0052075, 0.0051173, 0.0050697, 0.0049805, 0.0048705, 0.0048695, 0.0048287, 0.0047315, 0.0046961,
        0.0046698, 0.0046010, 0.0045544, 0.0045191, 0.0044245, 0.0044074, 0.0043579, 0.0043536, 0.0042874, 0.0042520,
        0.0041864,
    ];

    /// <summary>
    /// The standard deviation of a series around its level where the level may step: von Neumann's mean square
    /// successive difference (σ² = Σ(xᵢ₊₁ − xᵢ)² / 2(n − 1)), leaving out differences beyond 3.5 robust standard
    /// deviations of a difference (median |d| / 0.6745), which is what a step or an outlier makes. By simulation of
    /// normal series (200,000 per size): E[σ̂²] = 0.97–0.99 σ² (corrected by 1/0.975), a 10σ step in a series of 20
    /// raises σ̂² by 1% (the plain sample variance: ×26), and the effective degrees of freedom are 0.93 of MSSD's
    /// 2(n − 1)² / (3n − 4) (bench/RESULTS.md).
    /// </summary>
    /// <returns>The estimate and its effective degrees of freedom; (0, 0) with fewer than 3 values.</returns>
    public static (double Sd, double DegreesOfFreedom) StepRobustSd(ReadOnlySpan<double> xs)
    {
        var n = xs.Length;
        if (n < 3)
        {
            return (0, 0);
        }

        Span<double> abs = n <= 129 ? stackalloc double[n - 1] : new double[n - 1];
        for (var i = 0; i < n - 1; i++)
        {
            abs[i] = Math.Abs(xs[i + 1] - xs[i]);
        }

        var cut = StepCut * Median(abs) / 0.6744897501960817;
        double ss = 0;
        var kept = 0;
        for (var i = 0; i < n - 1; i++)
        {
            var d = xs[i + 1] - xs[i];
            if (Math.Abs(d) <= cut || cut == 0)
            {
                ss += d * d;
                kept++;
            }
        }

        var df = 0.93 * 2.0 * (n - 1) * (n - 1) / ((3.0 * n) - 4);
        return (Math.Sqrt(ss / (2 * kept) / ScreenBias), df);
    }

    private const double StepCut = 3.5;
    private const double ScreenBias = 0.975;

    public static double Mean(ReadOnlySpan<double> xs)
    {
        var s = 0.0;
        foreach (var x in xs)
        {
            s += x;
        }

        return s / xs.Length;
    }

    /// <summary>Sample variance (n − 1).</summary>
    public static double Variance(ReadOnlySpan<double> xs)
    {
        if (xs.Length < 2)
        {
            return 0;
        }

        var m = Mean(xs);
        var ss = 0.0;
        foreach (var x in xs)
        {
            ss += (x - m) * (x - m);
        }

        return ss / (xs.Length - 1);
    }
}
