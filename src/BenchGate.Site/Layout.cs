using System.Globalization;
using System.Text;
using BenchGate.Dashboard;

namespace BenchGate.Site;

/// <summary>The frame every page shares: head, navigation, footer and the site's script.</summary>
internal static class Layout
{
    private static readonly (string File, string Label)[] Nav = [("index.html", "Benchmarks"), ("alerts.html", "Alerts"), ("compare.html", "Compare"), ("memory.html", "Memory")];

    // One builder per thread, reused page after page: a page is written out before the next is begun, and 1,000 pages of
    // ~100 KB built as fresh builders and strings were most of the site's writing time (and large-object garbage).
    [ThreadStatic]
    private static StringBuilder? _page;

    /// <summary>
    /// Starts a page: head, navigation, and the opening of its main content. The builder is this thread's: every page's
    /// Render returns it, and it must be written out before the thread renders another.
    /// </summary>
    /// <param name="site">The site.</param>
    /// <param name="root">The way from this page to the site's root ("" or "../").</param>
    /// <param name="page">The page's file, to mark it in the navigation.</param>
    /// <param name="title">The page's title.</param>
    public static StringBuilder Begin(DashboardSite site, string root, string page, string title)
    {
        var sb = Scratch();
        sb.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append(CultureInfo.InvariantCulture, $"<title>{Html.Encode(title)} · {Html.Encode(site.Title)}</title>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<link rel=\"stylesheet\" href=\"{root}assets/site.css\">\n</head>\n<body>\n");
        sb.Append("<a class=\"skip\" href=\"#main\">Skip to content</a>\n<header>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<p class=\"brand\"><a href=\"{root}index.html\">{Html.Encode(site.Title)}</a></p>\n<nav aria-label=\"Site\"><ul>");
        foreach (var (file, label) in Nav)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{root}{file}\"{(file == page ? " aria-current=\"page\"" : "")}>{label}</a></li>");
        }

        return sb.Append("</ul></nav>\n</header>\n<main id=\"main\">\n");
    }

    /// <summary>This thread's builder, cleared, for a file that is not a page (a commit's data).</summary>
    public static StringBuilder Scratch() => (_page ??= new StringBuilder(1 << 16)).Clear();

    /// <summary>Ends a page begun with <see cref="Begin"/>: footer, then <paramref name="scripts"/> (data the page needs) and the site's script.</summary>
    public static StringBuilder End(StringBuilder sb, DashboardSite site, string root, params string[] scripts)
    {
        sb.Append("</main>\n<footer>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<p>Generated {site.Generated.UtcDateTime:yyyy-MM-dd HH:mm} UTC by benchgate dashboard from {Html.Encode(site.Source)}; commits in {Html.Encode(site.Order)}; threshold {Html.Number(site.ThresholdPercent)}%.</p>\n</footer>\n");
        foreach (var script in scripts)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<script src=\"{root}{script}\"></script>\n");
        }

        return sb.Append(CultureInfo.InvariantCulture, $"<script src=\"{root}assets/site.js\"></script>\n</body>\n</html>\n");
    }

    /// <summary>What an empty database's site says on every page.</summary>
    public static string Empty(DashboardSite site) =>
        $"<p class=\"empty\" role=\"status\">No benchmarks yet: {Html.Encode(site.Source)} has no runs. Store some with <code>benchgate ingest FILE -d DB</code> or <code>benchgate run</code>, then build the dashboard again.</p>\n";

    /// <summary>Link to a commit: the forge's page when a URL template was given, else the compare page against its parent level.</summary>
    public static string Commit(DashboardSite site, string root, string commit, string? against = null)
    {
        var href = site.LinkOf(commit) ?? (against is null ? $"{root}compare.html?b={Uri.EscapeDataString(commit)}" : CompareHref(root, against, commit));
        return $"<a href=\"{Html.Encode(href)}\"><code>{Html.Encode(Html.Short(commit))}</code></a>";
    }

    public static string CompareHref(string root, string a, string b) => $"{root}compare.html?a={Uri.EscapeDataString(a)}&b={Uri.EscapeDataString(b)}";
}
