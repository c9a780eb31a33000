using System.Globalization;
using System.Text;
using BenchGate.Dashboard;

namespace BenchGate.Site;

/// <summary>alerts.html: open, acknowledged, false_positive and fixed alerts with their commit ranges and links to the charts.</summary>
internal static class AlertsPage
{
    private static readonly (string Status, string Heading)[] Sections =
        [("open", "Open"), ("acknowledged", "Acknowledged"), ("false_positive", "False positives"), ("fixed", "Fixed")];

    public static StringBuilder Render(DashboardSite site)
    {
        var pages = site.Benchmarks.GroupBy(b => b.Key.Hash, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var sb = Layout.Begin(site, "", "alerts.html", "Alerts").Append("<h1>Alerts</h1>\n");
        if (site.Alerts.Count == 0)
        {
            sb.Append(site.IsEmpty ? Layout.Empty(site) : "<p role=\"status\">No alerts: detect, trend and ci raise one for each regression they find.</p>\n");
            return Layout.End(sb, site, "");
        }

        sb.Append("<p>Mark an alert with <code>benchgate alerts ack|false-positive|fixed ID</code>.</p>\n");
        foreach (var (status, heading) in Sections)
        {
            var alerts = site.Alerts.Where(a => a.Status == status).ToList();
            sb.Append(CultureInfo.InvariantCulture, $"<section id=\"{status.Replace('_', '-')}\">\n<h2>{heading} ({alerts.Count})</h2>\n");
            if (alerts.Count == 0)
            {
                sb.Append("<p>None.</p>\n</section>\n");
                continue;
            }

            sb.Append("<table class=\"alerts\"><thead><tr><th scope=\"col\">Alert</th><th scope=\"col\">Benchmark</th><th scope=\"col\">Metric</th><th scope=\"col\">Commits</th><th scope=\"col\">Change</th><th scope=\"col\">Interval</th><th scope=\"col\">Raised</th><th scope=\"col\">Notes</th></tr></thead><tbody>\n");
            foreach (var a in alerts)
            {
                var benchmark = pages.TryGetValue(a.KeyHash, out var page) ? $"<a href=\"b/{page.PageId}.html\">{Html.Encode(a.Benchmark)}</a>" : Html.Encode(a.Benchmark);
                var range = a.CurrentCommit is null ? "" : a.BaselineCommit is null ? Layout.Commit(site, "", a.CurrentCommit)
                    : $"{Layout.Commit(site, "", a.BaselineCommit)} → {Layout.Commit(site, "", a.CurrentCommit, a.BaselineCommit)}";
                sb.Append(CultureInfo.InvariantCulture, $"<tr id=\"alert-{a.Id}\"><td>#{a.Id}</td><td>{benchmark}</td><td>{Html.Encode(Html.MetricLabel(a.Metric))}</td><td>{range}</td>");
                sb.Append(CultureInfo.InvariantCulture, $"<td class=\"num regression\">{Html.Percent(a.ChangePercent)}</td><td class=\"num\">{(a.CiLowPercent is null ? "" : $"{Html.Percent(a.CiLowPercent)} to {Html.Percent(a.CiHighPercent)}")}</td>");
                sb.Append(CultureInfo.InvariantCulture, $"<td>{Html.Encode(a.CreatedAt)}</td><td>{Html.Encode(a.Notes)}</td></tr>\n");
            }

            sb.Append("</tbody></table>\n</section>\n");
        }

        return Layout.End(sb, site, "");
    }
}
