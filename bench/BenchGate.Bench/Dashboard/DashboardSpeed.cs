using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

namespace BenchGate.Bench.Dashboard;

/// <summary>
/// Issue #16's targets: <c>benchgate dashboard</c> on a history of <c>benchmarks</c> × <c>commits</c> (one run per commit,
/// 8% slower from 60% of the way for every tenth benchmark) in under 10 s, and the index painting in under 2 s in chromium;
/// a benchmark page drawn as BenchGate's SVG against the same data drawn by uPlot (npm, vendored into a scratch page).
/// </summary>
internal static class DashboardSpeed
{
    public static async Task<int> Run(int commits, int benchmarks)
    {
        var dir = Path.Combine(Path.GetTempPath(), "benchgate-dashboard-speed");
        Directory.CreateDirectory(dir);
        var db = HistoryDatabase.Build(dir, commits, benchmarks);
        var exe = Environment.GetEnvironmentVariable("BENCHGATE_EXE") ?? Path.GetFullPath(Path.Combine(FindRoot(), "artifacts", "tool", "benchgate"));
        var site = Path.Combine(dir, "site");
        Console.WriteLine($"database {db} ({new FileInfo(db).Length / 1048576.0:0} MB), {commits} commits × {benchmarks} benchmarks; benchgate = {exe}");
        var times = new List<(double Seconds, double PeakMb)>();
        for (var i = 0; i < 3; i++)
        {
            times.Add(Timed(exe, $"dashboard -d {db} -o {site}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dashboard run {i + 1}: {times[^1].Seconds:F2} s, peak RSS {times[^1].PeakMb:F0} MB"));
        }

        var index = Path.Combine(site, "index.html");
        var page = Directory.GetFiles(Path.Combine(site, "b")).OrderBy(f => f, StringComparer.Ordinal).First();
        var uplot = await UPlotPage(dir, page);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"site: {Directory.GetFiles(site, "*", SearchOption.AllDirectories).Length} files, {Directory.GetFiles(site, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / 1048576.0:F1} MB; index.html {new FileInfo(index).Length / 1024.0:F0} KB; a benchmark page {new FileInfo(page).Length / 1024.0:F0} KB; the uPlot page {uplot.Bytes / 1024.0:F0} KB with uplot.min.js"));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
        foreach (var (name, path, mark) in new[] { ("index", index, (string?)null), ("benchmark page (SVG)", page, null), ("benchmark page (uPlot)", uplot.Path, "charts-drawn") })
        {
            var paints = new List<double>();
            var drawn = new List<double>();
            for (var i = 0; i < 7; i++)
            {
                var tab = await browser.NewPageAsync();
                await tab.GotoAsync(new Uri(path).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });
                // The paint entry can come after the load event: wait for it.
                paints.Add(await tab.EvaluateAsync<double>("""
                    new Promise(done => new PerformanceObserver(list => done(list.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1))
                      .observe({ type: 'paint', buffered: true }))
                    """));
                drawn.Add(mark is null ? await tab.EvaluateAsync<double>("performance.getEntriesByType('navigation')[0].loadEventEnd")
                    : await tab.EvaluateAsync<double>($"performance.getEntriesByName('{mark}')[0]?.startTime ?? -1"));
                await tab.CloseAsync();
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: first contentful paint median {Median(paints):F0} ms (min {paints.Min():F0}, max {paints.Max():F0}); {(mark is null ? "load event" : "charts drawn")} median {Median(drawn):F0} ms"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dashboard median {Median(times.Select(t => t.Seconds).ToList()):F2} s, peak RSS median {Median(times.Select(t => t.PeakMb).ToList()):F0} MB"));
        return 0;
    }

    /// <summary>The benchmark page's two charts drawn by uPlot instead: the same points, uPlot vendored from npm into one file.</summary>
    private static async Task<(string Path, long Bytes)> UPlotPage(string dir, string svgPage)
    {
        var npm = Path.Combine(dir, "npm");
        var lib = Path.Combine(npm, "node_modules", "uplot", "dist");
        if (!Directory.Exists(lib))
        {
            Directory.CreateDirectory(npm);
            using var p = Process.Start(new ProcessStartInfo("npm", "install --no-audit --no-fund --silent uplot@1.6.32") { WorkingDirectory = npm })!;
            await p.WaitForExitAsync();
        }

        var html = await File.ReadAllTextAsync(svgPage);
        // Each long chart's points (pixel y per commit) from its hover data; their pixel positions stand in for values.
        var charts = System.Text.RegularExpressions.Regex.Matches(html, "data-ys=\"([^\"]+)\"").Select(m => m.Groups[1].Value.Split('|')).ToList();
        if (charts.Count < 2)
        {
            throw new InvalidOperationException($"{svgPage}: expected two long charts with hover data");
        }

        string Series(string[] ys) => "[" + string.Join(',', ys) + "]";
        var xs = "[" + string.Join(',', Enumerable.Range(0, charts[0].Length)) + "]";
        var page = Path.Combine(dir, "uplot.html");
        var css = await File.ReadAllTextAsync(Path.Combine(lib, "uPlot.min.css"));
        var js = await File.ReadAllTextAsync(Path.Combine(lib, "uPlot.iife.min.js"));
        var text = $$"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>uPlot</title><style>{{css}}</style></head><body>
            <h1>benchmark (uPlot)</h1><div id="a"></div><div id="b"></div>
            <script>{{js}}</script>
            <script>
            const x = {{xs}};
            const a = {{Series(charts[0])}};
            const b = {{Series(charts[1])}};
            const opts = (t) => ({ title: t, width: 900, height: 320, series: [{}, { label: t, stroke: '#0b57d0' }, { label: 'low', stroke: '#9bb' }, { label: 'high', stroke: '#9bb' }], bands: [{ series: [3, 2] }] });
            new uPlot(opts('tokens/s'), [x, a, a.map(v => v * 0.98), a.map(v => v * 1.02)], document.getElementById('a'));
            new uPlot(opts('latency'), [x, b, b.map(v => v * 0.98), b.map(v => v * 1.02)], document.getElementById('b'));
            performance.mark('charts-drawn');
            </script></body></html>
            """;
        await File.WriteAllTextAsync(page, text);
        return (page, new FileInfo(page).Length);
    }

    private static (double Seconds, double PeakMb) Timed(string exe, string args)
    {
        var psi = new ProcessStartInfo("/usr/bin/time", $"-f %M {exe} {args}") { RedirectStandardError = true, RedirectStandardOutput = true };
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        sw.Stop();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{exe} {args} failed: {err}");
        }

        var kb = double.Parse(err.Trim().Split('\n')[^1], CultureInfo.InvariantCulture);
        return (sw.Elapsed.TotalSeconds, kb / 1024);
    }

    private static double Median(List<double> values)
    {
        var s = values.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[(s.Count / 2) - 1] + s[s.Count / 2]) / 2;
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "BenchGate.slnx")))
            {
                return d.FullName;
            }
        }

        return ".";
    }
}
