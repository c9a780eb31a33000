using System.Globalization;
using System.Text;
using BenchGate.Dashboard;

namespace BenchGate.Site;

/// <summary>memory.html: peak memory per commit of each measured source, and memcheck's findings.</summary>
internal static class MemoryPage
{
    public static StringBuilder Render(DashboardSite site)
    {
        var sb = Layout.Begin(site, "", "memory.html", "Memory").Append("<h1>Memory</h1>\n");
        if (site.Memory.Count == 0)
        {
            sb.Append("<p role=\"status\">No memory measurements: <code>benchgate run</code> records each llama-bench run's peak memory and <code>benchgate memcheck</code> its findings.</p>\n");
            return Layout.End(sb, site, "");
        }

        var peaks = site.Memory.Where(m => m.PeakMb is { } p && double.IsFinite(p) && m.Commit is not null).GroupBy(m => m.Source, StringComparer.Ordinal).ToList();
        foreach (var (group, n) in peaks.Select((g, n) => (g, n)))
        {
            var points = group.GroupBy(m => m.Commit!, StringComparer.Ordinal)
                .OrderBy(g => site.CommitPositions.GetValueOrDefault(g.Key, int.MaxValue)).ThenBy(g => g.Min(m => m.CreatedAt), StringComparer.Ordinal)
                .Select(g => (Commit: g.Key, Peak: g.Max(m => m.PeakMb!.Value)))
                .Select(p => new ChartPoint(p.Commit, p.Peak, p.Peak, p.Peak, $"{Html.Short(p.Commit)}: {Html.Value("peak_rss_mb", p.Peak)}")).ToList();
            sb.Append(CultureInfo.InvariantCulture, $"<section>\n<h2>Peak memory: {Html.Encode(group.Key)}</h2>\n");
            SvgChart.History(sb, $"memory-{n}", $"Peak memory of {group.Key} per commit, {points.Count} commits", "peak_rss_mb", points, [], null);
            sb.Append("\n</section>\n");
        }

        var findings = site.Memory.Where(m => m.IsFinding).OrderByDescending(m => m.CreatedAt, StringComparer.Ordinal).ToList();
        sb.Append(CultureInfo.InvariantCulture, $"<section id=\"findings\">\n<h2>Findings ({findings.Count})</h2>\n");
        if (findings.Count == 0)
        {
            sb.Append("<p>No leak, growth or excessive memory found.</p>\n</section>\n");
            return Layout.End(sb, site, "");
        }

        sb.Append("<table class=\"findings\"><thead><tr><th scope=\"col\">Commit</th><th scope=\"col\">Source</th><th scope=\"col\">Detector</th><th scope=\"col\">Kind</th><th scope=\"col\">Peak</th><th scope=\"col\">Leaked</th><th scope=\"col\">Details</th><th scope=\"col\">Recorded</th></tr></thead><tbody>\n");
        foreach (var f in findings)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{(f.Commit is null ? "" : Layout.Commit(site, "", f.Commit))}</td><td>{Html.Encode(f.Source)}</td><td>{Html.Encode(f.Detector)}</td><td class=\"regression\">{Html.Encode(f.Kind)}</td>");
            sb.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{(f.PeakMb is { } p ? Html.Value("peak_rss_mb", p) : "")}</td><td class=\"num\">{(f.LeakedMb is { } l ? Html.Value("peak_rss_mb", l) : "")}</td><td>{Html.Encode(f.Details)}</td><td>{Html.Encode(f.CreatedAt)}</td></tr>\n");
        }

        sb.Append("</tbody></table>\n</section>\n");
        return Layout.End(sb, site, "");
    }
}
