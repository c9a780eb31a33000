using System.Globalization;
using System.Text;
using BenchGate.Trend;

namespace BenchGate.Reports;

/// <summary>
/// For the pull-request comment and job summary: the recent history of each regressed benchmark on the baseline branch,
/// in text, with this change's value after it and the latest change point, so a reviewer sees whether the PR moved the
/// benchmark or the benchmark was already moving.
/// </summary>
public static class TrendHistoryText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <param name="report">trend of the baseline history, limited to the regressed benchmarks.</param>
    /// <param name="current">This change's value of each benchmark and metric, by (key hash, metric).</param>
    /// <param name="points">How many recent points to show.</param>
    public static string Render(TrendReport report, IReadOnlyDictionary<(string KeyHash, string Metric), double> current, int points = 8)
    {
        if (report.Series.Count == 0)
        {
            return "";
        }

        var sb = new StringBuilder();
        sb.AppendLine("### Recent history on the baseline branch").AppendLine();
        foreach (var s in report.Series)
        {
            var recent = s.Series.Points.Skip(Math.Max(0, s.Series.Points.Count - points)).Select(p => $"{ReportText.Commit(p.Commit)} {ReportText.Number(p.Value)}");
            var now = current.TryGetValue((s.Series.Key.Hash, s.Series.Metric.Name), out var v) ? $" → **this change {ReportText.Number(v)}**" : "";
            sb.AppendLine(Inv, $"- {s.Series.Title} ({s.Series.Metric.Name}{(s.Series.Machine is null ? "" : $", {s.Series.Machine}")}): {string.Join(" · ", recent)}{now}");
            if (s.ChangePoints.Count > 0)
            {
                var cp = s.ChangePoints[^1];
                var cause = cp.Cause == SuspectedCause.Machine ? " (put down to the machine)" : "";
                sb.AppendLine(Inv, $"  - latest change point: {cp.ChangePercent.ToString("+0.0;-0.0", Inv)}% between {ReportText.Commit(cp.PreviousCommit)} and {ReportText.Commit(cp.Commit)}{cause}");
            }
        }

        sb.AppendLine();
        return sb.ToString();
    }


}
