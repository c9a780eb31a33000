using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace BenchGate.Site.Tests;

/// <summary>Issue #16: the dashboard in a real browser — pages load clean, links resolve, filters, sort, selectors and the compare page work.</summary>
[Collection(BrowserSite.Collection)]
public sealed class BrowserTests(BrowserSite site)
{
    private static readonly string[] TopPages = ["index.html", "alerts.html", "compare.html", "memory.html"];

    [Fact]
    public async Task Every_page_loads_without_an_error_and_every_link_resolves()
    {
        var errors = new List<string>();
        var pages = TopPages.Concat(Directory.GetFiles(site.History.Path("b")).Select(f => "b/" + Path.GetFileName(f))).ToList();
        Assert.Equal(12, pages.Count);
        foreach (var relative in pages)
        {
            var page = await site.Open(relative, errors);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var hrefs = (await page.EvaluateAsync<JsonElement>("Array.from(document.querySelectorAll('a[href]'), a => new URL(a.getAttribute('href'), location.href).href)")).EnumerateArray().Select(e => e.GetString()!).ToList();
            Assert.NotEmpty(hrefs);
            foreach (var href in hrefs)
            {
                var uri = new Uri(href);
                Assert.True(uri.IsFile, $"{relative}: {href} leaves the site");
                Assert.True(File.Exists(uri.LocalPath), $"{relative}: {href} does not resolve");
                if (uri.Fragment.Length > 1)
                {
                    Assert.Contains($"id=\"{uri.Fragment[1..]}\"", await File.ReadAllTextAsync(uri.LocalPath, TestContext.Current.CancellationToken), StringComparison.Ordinal);
                }
            }

            await page.CloseAsync();
        }

        Assert.Empty(errors);
    }

    [Fact]
    public async Task Filters_search_and_sort_change_what_the_index_shows()
    {
        var errors = new List<string>();
        var page = await site.Open("index.html", errors);
        var rows = page.Locator("#benchmarks tbody tr:visible");
        Assert.Equal(8, await rows.CountAsync());
        await page.SelectOptionAsync("select[data-filter=model]", "tiny-llama-small-f32.gguf");
        Assert.Equal(4, await rows.CountAsync());
        await page.SelectOptionAsync("select[data-filter=machine]", "runner-2");
        Assert.Equal(2, await rows.CountAsync());
        Assert.Equal("2 shown", await page.TextContentAsync("#shown"));
        await page.FillAsync("#search", "tg16");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Contains("tg16", await rows.First.TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("machine=runner-2", page.Url, StringComparison.Ordinal);

        await page.SelectOptionAsync("select[data-filter=model]", "");
        await page.SelectOptionAsync("select[data-filter=machine]", "");
        await page.FillAsync("#search", "");
        await page.ClickAsync("button[data-sort=latest]");
        var ascending = await Latest(page);
        Assert.Equal(ascending.Order(), ascending);
        Assert.Equal("ascending", await page.GetAttributeAsync("th:has(button[data-sort=latest])", "aria-sort"));
        await page.ClickAsync("button[data-sort=latest]");
        Assert.Equal(ascending.AsEnumerable().Reverse(), await Latest(page));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_keyboard_reaches_the_content_and_sorts()
    {
        var errors = new List<string>();
        var page = await site.Open("index.html", errors);
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        await page.FocusAsync("button[data-sort=title]");
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("descending", await page.GetAttributeAsync("th:has(button[data-sort=title])", "aria-sort"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_known_change_point_is_on_its_chart_at_c13_and_the_selectors_work()
    {
        var errors = new List<string>();
        var page = await site.Open(Relative(site.History.PageOf("tiny-llama-small-f32 | backend:CPU | p:64")), errors);
        var chart = page.Locator("section.figure[data-metric=avg_ts] svg");
        async Task<double> Number(string selector, string attribute) =>
            double.Parse(await chart.Locator(selector).GetAttributeAsync(attribute) ?? "", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(await Number("a.cp[data-commit=c13] line", "x1"), await Number("circle[data-commit=c12]", "cx"), await Number("circle[data-commit=c13]", "cx"));
        Assert.Contains("compare.html?a=c12&b=c13", await chart.Locator("a.cp[data-commit=c13]").GetAttributeAsync("href"), StringComparison.Ordinal);
        Assert.Equal("c10", await chart.Locator("line.baseline").GetAttributeAsync("data-commit"));
        Assert.Equal(24, await chart.Locator("circle").CountAsync());

        Assert.False(await page.Locator("section.figure[data-metric=avg_ns]").IsVisibleAsync());
        await page.CheckAsync("input[name=metric][value=avg_ns]");
        Assert.True(await page.Locator("section.figure[data-metric=avg_ns]").IsVisibleAsync());
        Assert.False(await chart.IsVisibleAsync());
        await page.CheckAsync("input[name=metric][value=peak_rss_mb]");
        Assert.Equal(24, await page.Locator("section.figure[data-metric=peak_rss_mb] circle").CountAsync());

        var other = site.History.Outcome.Site.Benchmarks.Single(b => b.Title.Contains("tiny-llama-small-f32 | backend:CPU | p:64", StringComparison.Ordinal) && b.Machine == "runner-2");
        await page.SelectOptionAsync("select[name=machine]", new SelectOptionValue { Label = "runner-2" });
        Assert.EndsWith(Relative(site.History.PageOf("tiny-llama-small-f32 | backend:CPU | p:64")), page.Url, StringComparison.Ordinal);
        await page.ClickAsync("button[data-go=machine]");
        // The change handler navigates; the new page is there once its own chart is (WaitForURL raced a file:// navigation).
        await page.WaitForFunctionAsync("id => location.pathname.endsWith('/' + id) && document.readyState === 'complete'", other.PageId + ".html");
        Assert.Equal(6, await page.Locator("section.figure[data-metric=avg_ts] circle").CountAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Compare_shows_the_step_between_c12_and_c13_as_regressions()
    {
        var errors = new List<string>();
        var page = await site.Open("compare.html", errors, "?a=c12&b=c13");
        await page.WaitForFunctionAsync("document.getElementById('compare-status').textContent.indexOf('series') >= 0");
        Assert.Equal("c12", await page.InputValueAsync("#commit-a"));
        Assert.Equal("c13", await page.InputValueAsync("#commit-b"));
        var pp64 = page.Locator("#compare tbody tr", new() { HasText = "pp64" }).Filter(new() { HasText = "Tokens/s" });
        // Both models on runner-1 (runner-2 measured c01 to c06 only), both ~11% slower. One commit against the next is
        // judged against the series' commit-to-commit noise: the large model's (quiet) is a regression; the small model's
        // pp64 moves ~8% between commits of the same build, so one pair of commits cannot tell its step from noise.
        Assert.Equal(2, await pp64.CountAsync());
        Assert.All(await pp64.Locator("td:nth-child(5)").AllTextContentsAsync(), c => Assert.InRange(double.Parse(c.Replace("−", "-", StringComparison.Ordinal).TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture), -15, -8));
        Assert.Equal("Regression", await pp64.Filter(new() { HasText = "large" }).Locator("td:last-child").TextContentAsync());

        await page.SelectOptionAsync("#compare-filter", "changed");
        Assert.DoesNotContain("No change", await page.Locator("#compare tbody td:last-child").AllTextContentsAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Axe_finds_no_serious_accessibility_violation()
    {
        var errors = new List<string>();
        foreach (var relative in TopPages.Append(Relative(site.History.PageOf("tiny-llama-small-f32 | backend:CPU | p:64"))))
        {
            var page = await site.Open(relative, errors);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.Empty(errors);
            // axe itself fetches from file:// and logs the browser's refusal: its console is not the site's.
            var result = await page.RunAxe();
            var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{relative}: {v.Id} ({v.Impact}): {v.Help}").ToList();
            Assert.Empty(serious);
            await page.CloseAsync();
            errors.Clear();
        }
    }

    [Fact]
    public async Task The_chart_looks_as_it_did_within_a_tolerance()
    {
        var errors = new List<string>();
        var page = await site.Open(Relative(site.History.PageOf("tiny-llama-small-f32 | backend:CPU | p:64")), errors);
        var png = await page.Locator("section.figure[data-metric=avg_ts] svg").ScreenshotAsync(new() { Animations = ScreenshotAnimations.Disabled });
        var golden = Path.Combine(BenchGate.Tests.Shared.Golden.ProjectDirectory(), "Expected", "chart-pp64-small.png");
        if (Environment.GetEnvironmentVariable("BENCHGATE_UPDATE_GOLDEN") == "1")
        {
            await File.WriteAllBytesAsync(golden, png, TestContext.Current.CancellationToken);
        }

        Assert.True(File.Exists(golden), $"{golden} is missing; run with BENCHGATE_UPDATE_GOLDEN=1");
        // The browser decodes both images and counts pixels that differ clearly (anti-aliasing and font hinting move a few).
        var diff = await page.EvaluateAsync<JsonElement>("""
            async ([a, b]) => {
              const load = src => new Promise((ok, fail) => { const i = new Image(); i.onload = () => ok(i); i.onerror = fail; i.src = 'data:image/png;base64,' + src; });
              const [x, y] = await Promise.all([load(a), load(b)]);
              if (x.width !== y.width || x.height !== y.height) return { size: false, differing: 1 };
              const pixels = img => { const c = document.createElement('canvas'); c.width = img.width; c.height = img.height; const g = c.getContext('2d'); g.drawImage(img, 0, 0); return g.getImageData(0, 0, c.width, c.height).data; };
              const p = pixels(x), q = pixels(y);
              let n = 0;
              for (let i = 0; i < p.length; i += 4) {
                if (Math.max(Math.abs(p[i] - q[i]), Math.abs(p[i + 1] - q[i + 1]), Math.abs(p[i + 2] - q[i + 2])) > 48) n++;
              }
              return { size: true, differing: n / (p.length / 4) };
            }
            """, new[] { Convert.ToBase64String(png), Convert.ToBase64String(await File.ReadAllBytesAsync(golden, TestContext.Current.CancellationToken)) });
        Assert.True(diff.GetProperty("size").GetBoolean(), "the chart's size changed");
        Assert.InRange(diff.GetProperty("differing").GetDouble(), 0, 0.01);
        Assert.Empty(errors);
    }

    private static async Task<List<double>> Latest(IPage page) =>
        [.. (await page.EvalOnSelectorAllAsync<string[]>("#benchmarks tbody tr", "rows => rows.map(r => r.dataset.latest)")).Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];

    private string Relative(string path) => Path.GetRelativePath(site.History.Site, path).Replace('\\', '/');
}
