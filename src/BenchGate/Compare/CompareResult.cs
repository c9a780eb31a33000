using BenchGate.Detection;

namespace BenchGate.Compare;

/// <summary>One row of a compare table: a benchmark (or a test-backend-ops case) present on both sides.</summary>
/// <param name="Shown">Displayed values of the shown columns.</param>
/// <param name="Test">llama-bench's test name (pp512, tg128@d4096), or null for test-backend-ops.</param>
/// <param name="Baseline">Baseline value (t/s, FLOPS or GB/s).</param>
/// <param name="Current">Compared value.</param>
/// <param name="Verdict">detect's verdict and interval for this row (null when there is no value to compare).</param>
/// <param name="PlotX">The x value of this row in <c>--plot</c>, when numeric.</param>
/// <param name="InBandwidth">A test-backend-ops row compared on GB/s in a table whose unit is FLOPS.</param>
/// <param name="Key">The llama-bench benchmark the row compares (null for test-backend-ops).</param>
public sealed record CompareRow(IReadOnlyList<string> Shown, string? Test, double Baseline, double Current, RowVerdict? Verdict, double? PlotX = null, bool InBandwidth = false,
    Model.BenchmarkKey? Key = null)
{
    /// <summary>compare / baseline: above 1 is faster, as in compare-llama-bench.py.</summary>
    public double Speedup => Current / Baseline;
}

/// <summary>Everything one compare found; the table, the plot and the reports are all rendered from it.</summary>
/// <param name="Tool">llama-bench or test-backend-ops.</param>
/// <param name="BaselineName">Column name of the baseline (commit, branch, tag or file).</param>
/// <param name="CompareName">Column name of the compared build.</param>
/// <param name="ShownColumns">Headers of the shown columns (pretty names).</param>
/// <param name="NumericColumns">Which shown columns hold numbers (right-aligned).</param>
/// <param name="Unit">t/s, or the FLOPS unit or Bandwidth (GB/s) of test-backend-ops.</param>
/// <param name="Rows">Sorted as compare-llama-bench.py sorts them.</param>
/// <param name="ThresholdPercent">The regression threshold.</param>
/// <param name="Alpha">One-sided significance level of each test.</param>
/// <param name="Detection">detect's report over the same pairs, for llama-bench (the JSON report and alerts).</param>
/// <param name="Notes">What the user should know: how builds were chosen, columns added, unmatched benchmarks.</param>
public sealed record CompareResult(
    string Tool,
    string BaselineName,
    string CompareName,
    IReadOnlyList<string> ShownColumns,
    IReadOnlyList<bool> NumericColumns,
    string Unit,
    IReadOnlyList<CompareRow> Rows,
    double ThresholdPercent,
    double Alpha,
    DetectionReport? Detection,
    IReadOnlyList<string> Notes)
{
    /// <summary>The confidence level of the intervals: each direction is tested one-sided at α.</summary>
    public string Level => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(1 - (2 * Alpha)) * 100:0.#}%");

    public bool HasRegression => Rows.Any(r => r.Verdict is { Verdict: Verdict.Regression });

    public bool HasInconclusive => Rows.Any(r => r.Verdict is { Verdict: Verdict.Inconclusive });
}

/// <summary>detect's judgement of one row.</summary>
/// <param name="Estimate">The change with its interval.</param>
/// <param name="QValue">Benjamini–Hochberg adjusted p-value over all rows.</param>
/// <param name="Verdict">Regression, Improvement, Stable or Inconclusive.</param>
public sealed record RowVerdict(ChangeEstimate Estimate, double QValue, Verdict Verdict);
