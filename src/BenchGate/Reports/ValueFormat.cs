using System.Globalization;
using System.Text;
using BenchGate.Detection;

namespace BenchGate.Reports;

/// <summary>How reports print values and changes (invariant culture, so reports are the same everywhere).</summary>
/// <remarks>
/// Each form is written once, as an append to a builder: a report of 30,000 comparisons appends them straight into its
/// text (the strings made per cell were ~25 MB of a large detect's allocations); the string forms use the same code.
/// </remarks>
public static class ValueFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    [ThreadStatic]
    private static StringBuilder? _scratch;

    public static string Value(Metric metric, double value) => AppendValue(Scratch(), metric, value).ToString();

    /// <summary>↓ 6.81% or ↑ 3.20%: the direction the value moved.</summary>
    public static string Change(double percent) => AppendChange(Scratch(), percent).ToString();

    public static string Interval(ChangeEstimate e) => AppendInterval(Scratch(), e).ToString();

    public static string Percent(double percent) => AppendPercent(Scratch(), percent).ToString();

    public static string Noise(ChangeEstimate e) => AppendNoise(Scratch(), e).ToString();

    internal static StringBuilder AppendValue(StringBuilder sb, Metric metric, double value) => metric.Name switch
    {
        "avg_ts" => sb.Append(Inv, $"{value:F2} tokens/s"),
        "avg_ns" => sb.Append(Inv, $"{value / 1e6:F3} ms"),
        "model_size" => sb.Append(Inv, $"{value / (1 << 20):F2} MiB"),
        _ => sb.Append(Inv, $"{value:G6}"),
    };

    internal static StringBuilder AppendChange(StringBuilder sb, double percent) =>
        sb.Append(percent < 0 ? "↓ " : percent > 0 ? "↑ " : "").Append(Inv, $"{Math.Abs(percent):F2}%");

    internal static StringBuilder AppendInterval(StringBuilder sb, ChangeEstimate e) =>
        AppendChange(AppendChange(sb, e.CiLowPercent).Append(" … "), e.CiHighPercent);

    internal static StringBuilder AppendPercent(StringBuilder sb, double percent) => sb.Append(Inv, $"{percent:F1}%");

    internal static StringBuilder AppendNoise(StringBuilder sb, ChangeEstimate e) => e.Noise.Source switch
    {
        NoiseSource.None => sb.Append("none"),
        NoiseSource.History => sb.Append(Inv, $"±{e.Noise.LogSd * 100:F1}% (history, {e.HistoryPoints} commits)"),
        NoiseSource.Runs => sb.Append(Inv, $"±{e.Noise.LogSd * 100:F1}% (runs)"),
        NoiseSource.Pairs => sb.Append(Inv, $"±{e.Noise.LogSd * 100:F1}% (pairs)"),
        _ => sb.Append(Inv, $"±{e.Noise.LogSd * 100:F1}% (within one run)"),
    };

    private static StringBuilder Scratch() => (_scratch ??= new StringBuilder(64)).Clear();
}
