using System.Globalization;
using BenchGate.Ingest;
using BenchGate.Tests.Shared;
using BenchGate.Workflows.Dashboard;
using BenchGate.Workflows.Ingest;

namespace BenchGate.Site.Tests;

/// <summary>
/// A history longer than the charts draw as circles (160 commits: master_history's real runs over and over, each run
/// relabelled with its own build_commit, stored by one ingest): the line, the point under the pointer, and the values
/// table the keyboard reaches.
/// </summary>
[Collection(BrowserSite.Collection)]
public sealed class LongHistoryTests(BrowserSite browser)
{
    private const int Commits = 160;

    [Fact]
    public async Task A_long_history_shows_the_point_under_the_pointer_and_a_values_table()
    {
        using var dir = new TempDir();
        var lines = File.ReadAllLines(Fixtures.Path("history/master_history.jsonl"));
        var jsonl = dir.File("long.jsonl");
        File.WriteAllLines(jsonl, Enumerable.Range(0, Commits).SelectMany(c => lines.Skip(c % 24 * 4).Take(4)
            .Select(l => l.Replace("\"build_commit\": \"unknown\"", string.Create(CultureInfo.InvariantCulture, $"\"build_commit\": \"b{c:000}\""), StringComparison.Ordinal))));
        var db = dir.File("long.sqlite");
        IngestWorkflow.Run(HistorySite.Host(), new IngestRequest([jsonl], db, new IngestOptions(Branch: "master", Machine: "runner-1")));
        var outcome = DashboardWorkflow.Run(HistorySite.Host(), new DashboardRequest(db, dir.File("site")), HistorySite.Now);
        var pp64 = outcome.Site.Benchmarks.First(b => b.Test == "pp64");
        Assert.Equal(Commits, pp64.Primary.Series.Points.Count);

        var errors = new List<string>();
        var page = await browser.OpenFile(dir.File($"site/b/{pp64.PageId}.html"), errors);
        var chart = page.Locator("svg#chart-avg_ts");
        Assert.Equal(0, await chart.Locator("circle[data-commit]").CountAsync());
        var box = (await chart.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + (box.Width / 2), box.Y + (box.Height / 2));
        var tip = page.Locator("section.figure[data-metric=avg_ts] .tip");
        Assert.True(await tip.IsVisibleAsync());
        Assert.Matches(@"^b\d{3}: [\d.]+ t/s", await tip.TextContentAsync());

        await page.ClickAsync("details[data-for=chart-avg_ts] summary");
        // The table is filled when it opens: on a busy machine that is after the click returns.
        await page.Locator("details[data-for=chart-avg_ts] tbody tr").Nth(Commits - 1).WaitForAsync();
        Assert.Equal(Commits, await page.Locator("details[data-for=chart-avg_ts] tbody tr").CountAsync());
        Assert.Equal($"b{Commits - 1:000}", await page.Locator("details[data-for=chart-avg_ts] tbody tr >> nth=0 >> td >> nth=0").TextContentAsync());
        Assert.Empty(errors);
    }
}
