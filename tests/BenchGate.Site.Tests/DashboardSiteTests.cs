using BenchGate.Detection;
using BenchGate.Storage;
using BenchGate.Tests.Shared;
using BenchGate.Workflows.Dashboard;
using Microsoft.Data.Sqlite;

namespace BenchGate.Site.Tests;

/// <summary>Issue #16: the site built from a real history, its pages pinned by goldens, and bad input refused before anything is written.</summary>
public sealed class DashboardSiteTests(HistorySite history) : IClassFixture<HistorySite>
{
    [Fact]
    public void The_site_has_each_benchmark_per_machine_with_the_real_step_at_c13()
    {
        var site = history.Outcome.Site;
        Assert.Equal(8, site.Benchmarks.Count);
        Assert.Equal(2, site.Benchmarks.Select(b => b.Machine).Distinct().Count());
        var pp64 = site.Benchmarks.Where(b => b.Test == "pp64" && b.Machine == "runner-1").ToList();
        Assert.Equal(2, pp64.Count);
        Assert.All(pp64, b => Assert.Contains(b.Primary.ChangePoints, c => c.Commit == "c13" && c.Verdict == Verdict.Regression));
        Assert.All(pp64, b => Assert.Equal(24, b.Memory.Count));
        Assert.Equal("c10", site.Baseline?.Commit);
        Assert.Contains(site.Alerts, a => a.Status == "acknowledged");
        Assert.True(File.Exists(history.Path(SiteWriter.Marker)));
        Assert.Equal(site.Commits.Count, Directory.GetFiles(history.Path("data"), "commit-*.js").Length);
    }

    [Fact]
    public void Index_and_a_benchmark_page_match_their_goldens()
    {
        // The alerts were raised by trend at the wall clock's time.
        string Read(string path) => System.Text.RegularExpressions.Regex.Replace(
            File.ReadAllText(path).Replace(history.Database, "history.sqlite", StringComparison.Ordinal), @"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "(time)");
        Golden.AssertMatches("index.html", Read(history.Path("index.html")));
        Golden.AssertMatches("benchmark-pp64-small.html", Read(history.PageOf("tiny-llama-small-f32 | backend:CPU | p:64")));
        Golden.AssertMatches("alerts.html", Read(history.Path("alerts.html")));
    }

    [Fact]
    public void Commit_noise_is_the_spread_of_consecutive_steps_and_ignores_a_single_level_shift()
    {
        // 1% run-to-run noise per commit: consecutive log differences spread by √2 × 1%.
        var random = new Random(7);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var flat = Enumerable.Range(0, 200).Select(i => new Trend.TrendPoint($"c{i}", 100 * Math.Exp(0.01 * Normal()), 0, 0, 1)).ToList();
        var shifted = flat.Select((p, i) => p with { Value = p.Value * (i >= 100 ? 0.8 : 1) }).ToList();
        var noise = ComparePage.CommitNoise(flat);
        Assert.InRange(noise, 0.010, 0.018);
        Assert.InRange(ComparePage.CommitNoise(shifted), noise * 0.9, noise * 1.1);
        Assert.Equal(0, ComparePage.CommitNoise(flat.Take(4).ToList()));
    }

    [Fact]
    public void An_empty_database_gives_a_site_that_says_so()
    {
        using var dir = new TempDir();
        var db = dir.File("empty.sqlite");
        using (var store = ResultStores.Open(db))
        {
            Assert.Empty(new AlertLog(store).List(null));
        }

        var outcome = DashboardWorkflow.Run(HistorySite.Host(), new DashboardRequest(db, dir.File("site")), HistorySite.Now);
        Assert.True(outcome.Site.IsEmpty);
        foreach (var page in new[] { "index.html", "alerts.html", "compare.html" })
        {
            Assert.Contains("No benchmarks yet", File.ReadAllText(dir.File($"site/{page}")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_database_that_is_not_BenchGates_is_refused_and_nothing_is_written()
    {
        using var dir = new TempDir();
        var foreign = dir.File("foreign.sqlite");
        var llama = dir.File("llama.sqlite");
        Execute(foreign, "CREATE TABLE users (id INTEGER)");
        Execute(llama, "CREATE TABLE llama_bench (build_commit TEXT, avg_ts REAL, n_prompt INTEGER, n_gen INTEGER)");

        var e1 = Assert.Throws<StoreException>(() => DashboardWorkflow.Run(HistorySite.Host(), new DashboardRequest(foreign, dir.File("a")), HistorySite.Now));
        Assert.Contains("not a BenchGate or llama-bench database", e1.Message, StringComparison.Ordinal);
        var e2 = Assert.Throws<InputException>(() => DashboardWorkflow.Run(HistorySite.Host(), new DashboardRequest(llama, dir.File("b")), HistorySite.Now));
        Assert.Contains("benchgate ingest", e2.Message, StringComparison.Ordinal);
        var e3 = Assert.Throws<StoreException>(() => DashboardWorkflow.Run(HistorySite.Host(), new DashboardRequest(dir.File("missing.sqlite"), dir.File("c")), HistorySite.Now));
        Assert.Contains("no such database", e3.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("a")) || Directory.Exists(dir.File("b")) || Directory.Exists(dir.File("c")));
        Assert.False(File.Exists(dir.File("missing.sqlite")));
    }

    [Fact]
    public void A_folder_dashboard_did_not_write_is_never_replaced_and_its_own_is_replaced_whole()
    {
        using var dir = new TempDir();
        var mine = dir.File("notes");
        Directory.CreateDirectory(mine);
        File.WriteAllText(System.IO.Path.Combine(mine, "todo.txt"), "keep me");
        var e = Assert.Throws<InputException>(() => DashboardWorkflow.Run(HistorySite.Host(), new DashboardRequest(history.Database, mine), HistorySite.Now));
        Assert.Contains("not written by benchgate dashboard", e.Message, StringComparison.Ordinal);
        Assert.Equal(["todo.txt"], Directory.GetFileSystemEntries(mine).Select(System.IO.Path.GetFileName));

        var site = dir.File("site");
        // "-o site/" as a shell completes it.
        DashboardWorkflow.Run(HistorySite.Host(), new DashboardRequest(history.Database, site + "/"), HistorySite.Now);
        File.WriteAllText(System.IO.Path.Combine(site, "b", "stale.html"), "from an older site");
        DashboardWorkflow.Run(HistorySite.Host(), new DashboardRequest(history.Database, site, Machine: "runner-2"), HistorySite.Now);
        Assert.False(File.Exists(System.IO.Path.Combine(site, "b", "stale.html")));
        Assert.Equal(4, Directory.GetFiles(System.IO.Path.Combine(site, "b")).Length);
        Assert.Empty(Directory.GetDirectories(dir.Path, ".site.*"));
    }

    [Fact]
    public void Names_from_the_database_reach_the_pages_as_text()
    {
        using var dir = new TempDir();
        var db = dir.File("h.sqlite");
        var run = dir.File("run.jsonl");
        File.WriteAllLines(run, File.ReadAllLines(Fixtures.Path("history/master_history.jsonl")).Take(4));
        const string machine = "<img src=x onerror=alert(1)>\"'&";
        Workflows.Ingest.IngestWorkflow.Run(HistorySite.Host(), new Workflows.Ingest.IngestRequest([run], db, new Ingest.IngestOptions(Commit: "c1", Machine: machine)));
        DashboardWorkflow.Run(HistorySite.Host(), new DashboardRequest(db, dir.File("site")), HistorySite.Now);

        var pages = Directory.GetFiles(dir.File("site"), "*.html", SearchOption.AllDirectories).Select(File.ReadAllText).ToList();
        Assert.Contains(pages, p => p.Contains("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;", StringComparison.Ordinal));
        Assert.DoesNotContain(pages, p => p.Contains("<img", StringComparison.Ordinal));
    }

    private static void Execute(string path, string sql)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
