using BenchGate.Statistics;

namespace BenchGate.Tests.Statistics;

/// <summary>
/// Reference values from published t tables (integer df) and, for p-values and fractional df, from an independent
/// numerical integration of the t density (Python, 200,000-point midpoint rule on a substituted infinite range).
/// </summary>
public sealed class DistributionTests
{
    [Theory]
    [InlineData(0.975, 1, 12.706)]
    [InlineData(0.975, 4, 2.776)]
    [InlineData(0.975, 10, 2.228)]
    [InlineData(0.99, 8, 2.896)]
    [InlineData(0.995, 30, 2.750)]
    [InlineData(0.8, 4, 0.941)]
    [InlineData(0.95, 2.5, 2.558)]
    public void Student_t_quantiles_match_the_tables(double p, double df, double expected) =>
        Assert.Equal(expected, StudentT.Quantile(p, df), 3);

    [Theory]
    [InlineData(2.0, 10, 0.07339)]
    [InlineData(4.1, 7, 0.00457)]
    [InlineData(0.5, 3, 0.65145)]
    public void Two_sided_p_values_match_numerical_integration(double t, double df, double expected) =>
        Assert.Equal(expected, StudentT.TwoSidedP(t, df), 4);

    [Theory]
    [InlineData(0.99, 1, 31.820515953773853)]
    [InlineData(0.9, 1, 3.077683537175253)]
    [InlineData(0.975, 2, 4.302652729749462)]
    [InlineData(0.99, 2, 6.9645567342832715)]
    [InlineData(0.99, 4, 3.746947387979196)]
    [InlineData(0.9, 4, 1.533206274058944)]
    public void Student_t_quantiles_match_closed_forms_to_1e_8(double p, double df, double expected) =>
        Assert.Equal(expected, StudentT.Quantile(p, df), 1e-8 * expected);

    [Fact]
    public void Student_t_p_values_match_closed_forms_to_1e_9()
    {
        // df = 1: Cauchy; df = 3: ½ + (atan(t/√3) + √3·t/(3 + t²))/π.
        Assert.Equal(2 * (0.5 - (Math.Atan(2.5) / Math.PI)), StudentT.TwoSidedP(2.5, 1), 1e-9);
        Assert.Equal(2 * (1 - 0.9303370157205785), StudentT.TwoSidedP(2.0, 3), 1e-9);
        Assert.Equal(1 - (2 / Math.Sqrt(6)), StudentT.TwoSidedP(2.0, 2), 1e-9);
    }

    [Theory]
    [InlineData(1.96, 0.9750021048517796)]
    [InlineData(-3.5, 0.0002326290790355401)]
    [InlineData(-6, 9.865876449133282e-10)]
    [InlineData(0.3, 0.6179114221889526)]
    public void Normal_cdf_matches_Python_to_1e_9_relative(double z, double expected) => Assert.Equal(expected, Normal.Cdf(z), 1e-9 * expected);

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(1.96, 0.97500)]
    [InlineData(-1.2815516, 0.1)]
    public void Normal_cdf_matches_the_table(double z, double expected) => Assert.Equal(expected, Normal.Cdf(z), 5);

    [Fact]
    public void Benjamini_Hochberg_matches_R_p_adjust()
    {
        // p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5), "BH") = 0.025 0.05 0.05 0.025 0.5
        var q = MultipleTesting.BenjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.5]);
        Assert.Equal([0.025, 0.05, 0.05, 0.025, 0.5], q.Select(x => Math.Round(x, 6)));
        Assert.True(double.IsNaN(MultipleTesting.BenjaminiHochberg([double.NaN, 0.01])[0]));
    }

    [Fact]
    public void Shamos_and_median_ignore_one_cold_repetition()
    {
        double[] warm = [390_000, 391_000, 389_500, 390_500];
        double[] withCold = [220_000, 391_000, 389_500, 390_500, 390_000];
        Assert.InRange(Robust.Median(withCold), 389_500, 391_000);
        Assert.InRange(Robust.Shamos(withCold), 0, 3 * Robust.Shamos(warm) + 1);
    }

    [Fact]
    public void Mann_Whitney_matches_R_wilcox_test_normal_approximation()
    {
        // wilcox.test(c(1.83,0.50,1.62,2.48,1.68,1.88,1.55,3.06,1.30), c(0.878,0.647,0.598,2.05,1.06,1.29,1.06,3.14,1.29), exact=FALSE, correct=TRUE)$p.value = 0.1329
        double[] x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30];
        double[] y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
        Assert.Equal(0.1329, MannWhitney.TwoSidedP(x, y), 3);
    }
}
