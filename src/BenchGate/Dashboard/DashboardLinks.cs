using System.Text;
using BenchGate.Model;
using BenchGate.Trend;

namespace BenchGate.Dashboard;

/// <summary>The PR comment's links from each regressed benchmark to its page on the published dashboard.</summary>
public static class DashboardLinks
{
    /// <param name="siteUrl">Where the dashboard is published (GitHub Pages).</param>
    /// <param name="report">The history of the regressed benchmarks, one series per machine.</param>
    /// <param name="branchOf">The branch of the last stored run of a benchmark on a machine: a page is per branch, and the series
    /// carry the branch only when filtered on one.</param>
    public static string Markdown(string siteUrl, TrendReport report, Func<BenchmarkKey, string?, string?> branchOf)
    {
        if (report.Series.Count == 0)
        {
            return "";
        }

        var sb = new StringBuilder("\n**On the dashboard:** ");
        var links = report.Series.Select(s =>
        {
            var branch = s.Series.Branch ?? branchOf(s.Series.Key, s.Series.Machine);
            var page = $"{siteUrl.TrimEnd('/')}/b/{DashboardBuilder.PageId(s.Series.Key, s.Series.Machine, branch)}.html";
            return $"[{Escape(s.Series.Title + (s.Series.Machine is null ? "" : $" ({s.Series.Machine})"))}]({page})";
        });
        return sb.AppendJoin(" · ", links).Append('\n').ToString();
    }

    /// <summary>Link text as text: brackets, parentheses and @ (a mention) from a model or machine name stay literal.</summary>
    private static string Escape(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"[\[\]()@\\*_`<>]", @"\$0");
}
