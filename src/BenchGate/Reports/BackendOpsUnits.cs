using System.Globalization;

namespace BenchGate.Reports;

/// <summary>compare-llama-bench.py's FLOPS units: the header names the unit of the largest value; cells omit it.</summary>
public static class BackendOpsUnits
{
    private static readonly (string Unit, double Divisor)[] Units = [("TFLOPS", 1e12), ("GFLOPS", 1e9), ("MFLOPS", 1e6), ("kFLOPS", 1e3), ("FLOPS", 1)];

    public static string UnitFor(IEnumerable<double> flops)
    {
        var max = flops.Where(v => v != 0).Select(Math.Abs).DefaultIfEmpty(0).Max();
        return max == 0 ? "FLOPS" : Units.First(u => max >= u.Divisor || u.Divisor == 1).Unit;
    }

    public static string Format(double flops, string unit)
    {
        if (flops == 0)
        {
            return "0.00";
        }

        var v = flops / Units.First(u => u.Unit == unit).Divisor;
        return v.ToString(v >= 100 ? "F1" : "F2", CultureInfo.InvariantCulture);
    }
}
