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
    /// Shamos' scale: 1.048 × median of |xᵢ − xⱼ| over pairs, consistent with σ for normal data and with a 29%
    /// breakdown point (one wild value among ≥ 4 does not move it).
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

        return 1.048358 * Median(diffs);
    }

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
