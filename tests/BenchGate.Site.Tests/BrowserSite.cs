using Microsoft.Playwright;

namespace BenchGate.Site.Tests;

/// <summary>
/// The history site opened in a real Chromium (Debian's, driven by Playwright). Without a chromium the browser tests are
/// skipped with a message, unless BENCHGATE_REQUIRE_BROWSER=1 (as .ci/run sets), where they fail.
/// </summary>
public sealed class BrowserSite : IAsyncLifetime
{
    /// <summary>The tests that open a browser share one (and one history site) instead of launching one per class.</summary>
    public const string Collection = "browser";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public HistorySite History { get; } = new();

    /// <summary>A chromium executable: BENCHGATE_CHROMIUM, or Debian's.</summary>
    public static string? Chromium =>
        new[] { Environment.GetEnvironmentVariable("BENCHGATE_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(p => p is not null && File.Exists(p));

    public async ValueTask InitializeAsync()
    {
        if (Chromium is null)
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--font-render-hinting=none"] });
    }

    /// <summary>Opens a page of the site; <paramref name="errors"/> collects console errors, script errors and failed loads.</summary>
    public Task<IPage> Open(string relative, List<string> errors, string query = "") => OpenFile(History.Path(relative), errors, query);

    /// <summary>Opens any file (a site a test wrote itself), collecting errors as <see cref="Open"/> does.</summary>
    public async Task<IPage> OpenFile(string path, List<string> errors, string query = "")
    {
        var relative = Path.GetFileName(path);
        if (_browser is null)
        {
            Assert.SkipWhen(Environment.GetEnvironmentVariable("BENCHGATE_REQUIRE_BROWSER") != "1", "no chromium here (apt-get install chromium, or set BENCHGATE_CHROMIUM): the dashboard's browser tests are skipped");
            Assert.Fail("BENCHGATE_REQUIRE_BROWSER=1 but no chromium was found (/usr/bin/chromium or BENCHGATE_CHROMIUM)");
        }

        var page = await _browser!.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, DeviceScaleFactor = 1 });
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                errors.Add($"{relative}: console: {m.Text}");
            }
        };
        page.PageError += (_, e) => errors.Add($"{relative}: script error: {e}");
        page.RequestFailed += (_, r) => errors.Add($"{relative}: failed to load {r.Url}");
        await page.GotoAsync(new Uri(path).AbsoluteUri + query);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        History.Dispose();
    }
}

/// <summary>The browser tests' one <see cref="BrowserSite"/>.</summary>
[CollectionDefinition(BrowserSite.Collection)]
public sealed class SharedBrowser : ICollectionFixture<BrowserSite>;
