using System.Globalization;
using BenchGate.Detection;

namespace BenchGate.Reports;

/// <summary>How reports print values and changes (invariant culture, so reports are the same everywhere).</summary>
public static class ValueFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Value(Metric metric, double value) => metric.Name switch
    {
        "avg_ts" => value.ToString("F2", Inv) + " tokens/s",
        "avg_ns" => (value / 1e6).ToString("F3", Inv) + " ms",
        "model_size" => (value / (1 << 20)).ToString("F2", Inv) + " MiB",
        _ => value.ToString("G6", Inv),
    };

    /// <summary>↓ 6.81% or ↑ 3.20%: the direction the value moved.</summary>
    public static string Change(double percent) =>
        (percent < 0 ? "↓ " : percent > 0 ? "↑ " : "") + Math.Abs(percent).ToString("F2", Inv) + "%";

    public static string Interval(ChangeEstimate e) => $"{Change(e.CiLowPercent)} … {Change(e.CiHighPercent)}";

    public static string Percent(double percent) => percent.ToString("F1", Inv) + "%";

    public static string Noise(ChangeEstimate e) => e.Noise.Source switch
    {
        NoiseSource.None => "none",
        NoiseSource.History => $"±{(e.Noise.LogSd * 100).ToString("F1", Inv)}% (history, {e.HistoryPoints} commits)",
        NoiseSource.Runs => $"±{(e.Noise.LogSd * 100).ToString("F1", Inv)}% (runs)",
        NoiseSource.Pairs => $"±{(e.Noise.LogSd * 100).ToString("F1", Inv)}% (pairs)",
        _ => $"±{(e.Noise.LogSd * 100).ToString("F1", Inv)}% (within one run)",
    };
}
