using System.Globalization;
using System.Text;
using BenchGate.Dashboard;
using BenchGate.Detection;

namespace BenchGate.Site;

/// <summary>index.html: every benchmark with its latest value, a sparkline, its latest change point and open alerts; filters, sort, search.</summary>
internal static class IndexPage
{
    private static readonly (string Name, string Label)[] Filters = [("backend", "Backend"), ("model", "Model"), ("test", "Test"), ("machine", "Machine"), ("branch", "Branch")];

    public static StringBuilder Render(DashboardSite site)
    {
        var sb = Layout.Begin(site, "", "index.html", "Benchmarks").Append("<h1>Benchmarks</h1>\n");
        if (site.IsEmpty)
        {
            return Layout.End(sb.Append(Layout.Empty(site)), site, "");
        }

        var open = site.Alerts.Where(a => a.Status == "open").GroupBy(a => a.KeyHash, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        sb.Append(CultureInfo.InvariantCulture, $"<p>{site.Benchmarks.Count} benchmarks over {site.Commits.Count} commits; {open.Values.Sum()} open alerts.</p>\n");
        sb.Append("<form class=\"filters\" id=\"filters\" role=\"search\">\n");
        foreach (var (name, label) in Filters)
        {
            var values = site.Benchmarks.Select(b => Facet(b, name)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            sb.Append(CultureInfo.InvariantCulture, $"<label>{label} <select name=\"{name}\" data-filter=\"{name}\"><option value=\"\">all</option>");
            foreach (var v in values)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<option value=\"{Html.Encode(v)}\">{Html.Encode(v)}</option>");
            }

            sb.Append("</select></label>\n");
        }

        sb.Append("<label>Search <input type=\"search\" name=\"q\" id=\"search\" placeholder=\"model, test, parameter…\"></label>\n</form>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<p id=\"shown\" aria-live=\"polite\">{site.Benchmarks.Count} shown</p>\n");
        sb.Append("<table id=\"benchmarks\" class=\"sortable\">\n<thead><tr>");
        sb.Append("<th scope=\"col\" aria-sort=\"ascending\"><button type=\"button\" data-sort=\"title\">Benchmark</button></th>");
        sb.Append("<th scope=\"col\">Backend</th><th scope=\"col\">Machine</th><th scope=\"col\">Branch</th>");
        sb.Append("<th scope=\"col\" aria-sort=\"none\"><button type=\"button\" data-sort=\"latest\" data-type=\"number\">Latest</button></th><th scope=\"col\">History</th>");
        sb.Append("<th scope=\"col\" aria-sort=\"none\"><button type=\"button\" data-sort=\"change\" data-type=\"number\">Latest change point</button></th>");
        sb.Append("<th scope=\"col\" aria-sort=\"none\"><button type=\"button\" data-sort=\"alerts\" data-type=\"number\">Open alerts</button></th></tr></thead>\n<tbody>\n");
        foreach (var b in site.Benchmarks)
        {
            Row(sb, site, b, open.GetValueOrDefault(b.Key.Hash));
        }

        sb.Append("</tbody>\n</table>\n");
        return Layout.End(sb, site, "");
    }

    private static void Row(StringBuilder sb, DashboardSite site, DashboardBenchmark b, int openAlerts)
    {
        var primary = b.Primary;
        var points = primary.Series.Points;
        var latest = points[^1];
        var metric = primary.Series.Metric.Name;
        var change = b.LatestChange;
        var search = string.Join(' ', b.Key.Fields.Select(f => f.Value).Append(b.Title).Append(b.Machine ?? "").Append(b.Branch ?? "")).ToLowerInvariant();
        sb.Append(CultureInfo.InvariantCulture, $"<tr data-backend=\"{Html.Encode(b.Backend)}\" data-model=\"{Html.Encode(b.Model)}\" data-test=\"{Html.Encode(b.Test)}\" data-machine=\"{Html.Encode(Facet(b, "machine"))}\" data-branch=\"{Html.Encode(Facet(b, "branch"))}\"");
        sb.Append(CultureInfo.InvariantCulture, $" data-title=\"{Html.Encode(b.Title)}\" data-latest=\"{Html.Data(latest.Value)}\" data-change=\"{(change is null ? "" : Html.Data(change.ChangePercent))}\" data-alerts=\"{openAlerts}\" data-search=\"{Html.Encode(search)}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<th scope=\"row\"><a href=\"b/{b.PageId}.html\">{Html.Encode(b.Title)}</a></th>");
        sb.Append(CultureInfo.InvariantCulture, $"<td>{Html.Encode(b.Backend)}</td><td>{Html.Encode(b.Machine ?? "—")}</td><td>{Html.Encode(b.Branch ?? "—")}</td>");
        sb.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{Html.Encode(Html.Value(metric, latest.Value))}<br><small>{Layout.Commit(site, "", latest.Commit)}</small></td>");
        sb.Append(CultureInfo.InvariantCulture, $"<td>{SvgChart.Sparkline([.. points.Select(p => p.Value)], $"{Html.MetricLabel(metric)} over {points.Count} commits")}</td>");
        if (change is null)
        {
            sb.Append("<td>none</td>");
        }
        else
        {
            var cls = change.Verdict == Verdict.Regression ? "regression" : "improvement";
            sb.Append(CultureInfo.InvariantCulture, $"<td class=\"{cls}\">{Html.Percent(change.ChangePercent)} at {Layout.Commit(site, "", change.Commit, change.PreviousCommit)}{(change.Cause == Trend.SuspectedCause.Machine ? " <small>(machine)</small>" : "")}</td>");
        }

        sb.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{(openAlerts == 0 ? "0" : $"<a href=\"alerts.html#open\">{openAlerts}</a>")}</td></tr>\n");
    }

    private static string Facet(DashboardBenchmark b, string name) => name switch
    {
        "backend" => b.Backend,
        "model" => b.Model,
        "test" => b.Test,
        "machine" => b.Machine ?? "(none)",
        _ => b.Branch ?? "(none)",
    };
}
