using BenchGate.Trend;

namespace BenchGate.Reports;

/// <summary>trend's lines for the terminal or the CI log: the series and change points, each new alert, where the report went.</summary>
public static class TrendSummaryText
{
    /// <param name="r">The report.</param>
    /// <param name="files">The report files written, as named to the user.</param>
    /// <param name="recordedIn">The database the analysis was stored in, or null when it was not.</param>
    public static string Render(TrendReport r, IReadOnlyList<string> files, string? recordedIn)
    {
        var o = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var cps = r.Series.SelectMany(s => s.ChangePoints.Select(c => (s, c))).ToList();
        o.WriteLine($"{r.Series.Count} series ({r.Series.Sum(s => s.Series.Points.Count)} points, commits in {r.Order}): {cps.Count} change points past the threshold, {cps.Count(x => x.c.Cause == SuspectedCause.Machine)} put down to the machine");
        foreach (var (s, c) in cps.Where(x => x.c.NewAlert))
        {
            var cause = c.Cause == SuspectedCause.Machine ? " (suspected: the machine)" : "";
            o.WriteLine($"  new {c.Verdict.ToString().ToLowerInvariant()}: {s.Series.Title} on {s.Series.Machine} {s.Series.Metric.Name} {c.ChangePercent:+0.0;-0.0}% between {c.PreviousCommit} and {c.Commit}{cause}{(c.AlertId is { } id ? $"; alert {id}" : "")}");
        }

        o.WriteLine($"report: {string.Join(", ", files)}");
        o.WriteLine(recordedIn is not null ? $"recorded the analysis in {recordedIn}" : "not recorded (--no-record)");
        return o.ToString();
    }
}
