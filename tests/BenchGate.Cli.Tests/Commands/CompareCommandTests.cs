using System.Text.Json;
using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests.Commands;

public sealed class CompareCommandTests
{
    /// <summary>The cells of a pipe table, by header, one dictionary per row (headers must be unique).</summary>
    internal static List<Dictionary<string, string>> Cells(string text) =>
        [.. Rows(text).Skip(1).Select(r => Rows(text)[0].Zip(r).ToDictionary(p => p.First, p => p.Second))];

    /// <summary>A pipe table as rows of cells, the header row first.</summary>
    internal static List<List<string>> Rows(string text) =>
        [.. text.Split('\n').Where(l => l.StartsWith('|') && !l.StartsWith("|:", StringComparison.Ordinal) && !l.StartsWith("|-", StringComparison.Ordinal))
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToList())];

    [Theory]
    [InlineData("14_show_threads.txt", "-i", "llama-bench/commits/commits_lm_mmap.sqlite", "-b", "876a43211", "-c", "3f545becc", "-s", "model_filename,n_threads")]
    [InlineData("17_head_csv_single_build.txt", "-t", "llama-bench", "-i", "llama-bench/formats/small_multi.csv", "-b", "3f545becc", "-c", "3f545becc")]
    [InlineData("20_ab_relabeled.txt", "-i", "llama-bench/ab-cpu-long/ab_long_fast.sqlite", "-i", "llama-bench/ab-cpu-long/ab_long_slow.sqlite", "-s", "model_filename")]
    public void Every_number_equals_compare_llama_bench_py_on_the_same_input(string transcript, params string[] args)
    {
        using var dir = new TempDir();
        var resolved = args.Select(a => a.Contains('/', StringComparison.Ordinal) ? Fixtures.Path(a) : a).ToArray();
        var run = CliProcess.Run(dir.Path, ["compare", .. resolved]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var ours = Rows(run.Stdout);
        var theirs = Rows(Fixtures.Text("compare-llama-bench/" + transcript));
        var keyColumns = theirs[0].FindIndex(h => h.StartsWith("t/s", StringComparison.Ordinal));
        Assert.Equal(theirs[0][..keyColumns], ours[0][..keyColumns]);
        // Every row of ours is in theirs, key cells and the three numbers alike (20's database also held other runs).
        Assert.True(ours.Count > 1);
        foreach (var row in ours.Skip(1))
        {
            var match = theirs.Skip(1).SingleOrDefault(t => t[..keyColumns].SequenceEqual(row[..keyColumns]));
            Assert.True(match is not null, $"no row {string.Join(" | ", row[..keyColumns])} in {transcript}");
            Assert.Equal(match[keyColumns..(keyColumns + 3)], row[keyColumns..(keyColumns + 3)]);
        }

        Assert.True(ours.Count == theirs.Count || transcript.StartsWith("20", StringComparison.Ordinal));
        Assert.Equal("Verdict", ours[0][^1]);
    }

    [Fact]
    public void Ci_mode_fails_on_the_real_ab_regression_with_markdown_json_and_a_job_summary()
    {
        using var dir = new TempDir();
        var summary = dir.File("summary.md");
        var run = CliProcess.Run(dir.Path, null, new Dictionary<string, string> { ["GITHUB_STEP_SUMMARY"] = summary },
            "compare", "-i", Fixtures.Path("llama-bench/ab-cpu-long/ab_long_fast.jsonl"), "-i", Fixtures.Path("llama-bench/ab-cpu-long/ab_long_slow.jsonl"),
            "--ci-mode", "--json-output", "comparison.json");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("## Performance comparison: ab_long_slow.jsonl vs. ab_long_fast.jsonl", run.Stdout, StringComparison.Ordinal);
        var pp512 = Cells(run.Stdout).Single(r => r["Test"] == "pp512");
        Assert.Equal(("7343.03", "2464.18", "0.34", "Regression"), (pp512["t/s ab_long_fast.jsonl"], pp512["t/s ab_long_slow.jsonl"], pp512["Speedup"], pp512["Verdict"]));
        Assert.Contains("regression", File.ReadAllText(summary), StringComparison.Ordinal);
        Assert.Contains("\"verdict\": \"regression\"", File.ReadAllText(dir.File("comparison.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Matrix_arranges_the_rows_by_model_after_the_table_and_in_the_ci_markdown_and_json()
    {
        using var dir = new TempDir();
        string[] args = ["compare", "-i", Fixtures.Path("llama-bench/commits/commits_lm_mmap.sqlite"), "-b", "876a43211", "-c", "3f545becc", "--matrix", "model"];

        var table = CliProcess.Run(dir.Path, args);
        var ci = CliProcess.Run(dir.Path, [.. args, "--ci-mode", "--json-output", "comparison.json"]);

        Assert.True(table.ExitCode == 0, table.Stderr);
        var matrix = Rows(table.Stdout).SkipWhile(r => r[0] != "Test").TakeWhile(r => r[0] != "Across").ToList();
        Assert.Equal(["Test", "tiny-llama-large-f32", "tiny-llama-small-f32"], matrix[0]);
        Assert.Equal(6, matrix.Count);
        // Under it, the one backend over both models: all eight benchmarks.
        var groups = Rows(table.Stdout).SkipWhile(r => r[0] != "Across").ToList();
        Assert.Equal(2, groups.Count);
        Assert.Equal(["backend", "CPU"], groups[1][..2]);
        Assert.EndsWith("(8)", groups[1][2], StringComparison.Ordinal);
        Assert.StartsWith("geometric mean (98% CI)", matrix[^1][0], StringComparison.Ordinal);
        var mainTable = table.Stdout[..table.Stdout.IndexOf("\n\n", StringComparison.Ordinal)];
        var pp64 = Cells(mainTable).Single(r => r["Test"] == "pp64" && r["File"] == "tiny-llama-small-f32.gguf");
        var change = double.Parse(pp64["Change"].TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture);
        var cell = matrix.Single(r => r[0].StartsWith("pp64 ", StringComparison.Ordinal))[2];
        Assert.StartsWith((1 + (change / 100)).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) + " [", cell, StringComparison.Ordinal);
        Assert.EndsWith(pp64["Verdict"], cell, StringComparison.Ordinal);
        Assert.True(ci.ExitCode == 0, ci.Stderr);
        Assert.Contains("### Speedup across models", ci.Stdout, StringComparison.Ordinal);
        var json = JsonDocument.Parse(File.ReadAllText(dir.File("comparison.json"))).RootElement.GetProperty("matrix");
        Assert.Equal("model", json.GetProperty("across").GetString());
        var group = Assert.Single(json.GetProperty("groups").EnumerateArray());
        Assert.Equal(("backend", "CPU", 8), (group.GetProperty("across").GetString(), group.GetProperty("name").GetString(), group.GetProperty("benchmarks").GetInt32()));
    }

    [Fact]
    public void Test_backend_ops_output_compares_on_bandwidth_or_flops()
    {
        using var dir = new TempDir();
        var bandwidth = CliProcess.Run(dir.Path, "compare", "-i", Fixtures.Path("test-backend-ops/perf_cpu.sql"), "-i", Fixtures.Path("test-backend-ops/perf_cpu.console"));
        Assert.True(bandwidth.ExitCode == 0, bandwidth.Stderr);
        var add = Cells(bandwidth.Stdout).First(r => r["GGML op"] == "ADD");
        Assert.Equal(("50.90", "62.07", "1.22"), (add["Bandwidth (GB/s) perf_cpu.sql"], add["Bandwidth (GB/s) perf_cpu.console"], add["Speedup"]));

        var flops = CliProcess.Run(dir.Path, "compare", "-t", "test-backend-ops", "-i", Fixtures.Path("test-backend-ops/perf_cpu_mulmat.sql"), "-b", "unknown", "-c", "unknown");
        Assert.True(flops.ExitCode == 0, flops.Stderr);
        var rows = Rows(flops.Stdout);
        Assert.Equal(["Backend", "GGML op", "Op parameters", "GFLOPS unknown", "GFLOPS unknown", "Speedup"], rows[0][..6]);
        Assert.Contains(rows, r => r[2].StartsWith("type_a=q4_0", StringComparison.Ordinal) && r[3] == "62.61" && r[5] == "1.00");
    }

    [Theory]
    [InlineData("no such file", "compare", "-i", "missing.sqlite", "-b", "a", "-c", "b")]
    [InlineData("unknown values for --show: bogus", "compare", "-i", "llama-bench/commits/commits_lm_mmap.sqlite", "-b", "876a43211", "-c", "3f545becc", "-s", "bogus")]
    [InlineData("load_mode", "compare", "-i", "llama-bench/commits/commits_default.sqlite", "-b", "876a43211", "-c", "3f545becc")]
    [InlineData("cannot find data for baseline=deadbeef", "compare", "-i", "llama-bench/commits/commits_lm_mmap.sqlite", "-b", "deadbeef", "-c", "3f545becc")]
    [InlineData("no timing columns", "compare", "-t", "test-backend-ops", "-i", "test-backend-ops/perf_cpu.csv")]
    [InlineData("--matrix takes model, backend or model,backend, not 'gpu'", "compare", "-i", "llama-bench/commits/commits_lm_mmap.sqlite", "-b", "876a43211", "-c", "3f545becc", "--matrix", "gpu")]
    [InlineData("test-backend-ops results have neither", "compare", "-i", "test-backend-ops/perf_cpu.sql", "-i", "test-backend-ops/perf_cpu.console", "--matrix")]
    [InlineData("--matrix-plot arranges llama-bench benchmarks", "compare", "-i", "test-backend-ops/perf_cpu.sql", "-i", "test-backend-ops/perf_cpu.console", "--matrix-plot", "m.png")]
    public void Bad_input_is_one_clear_line_and_exit_2(string expected, params string[] args)
    {
        using var dir = new TempDir();
        var run = CliProcess.Run(dir.Path, [.. args.Select(a => a.Contains('/', StringComparison.Ordinal) ? Fixtures.Path(a) : a)]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Plot_draws_a_png_with_one_panel_per_group_in_two_columns()
    {
        using var dir = new TempDir();
        var run = CliProcess.Run(dir.Path, "compare", "-t", "llama-bench", "-i", Fixtures.Path("llama-bench/formats/small_multi.json"), "-b", "3f545becc", "-c", "3f545becc", "--plot", "plot.png");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var png = File.ReadAllBytes(dir.File("plot.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        // IHDR: width and height, big-endian, at bytes 16..23. 2 threads × 4 tests = 8 panels: 2 columns × 4 rows of 800×400, plus the title.
        var width = (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19];
        var height = (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23];
        Assert.Equal((1600, 1650), (width, height));
    }

    [Fact]
    public void Matrix_plot_draws_one_panel_per_model_in_two_columns()
    {
        using var dir = new TempDir();
        var run = CliProcess.Run(dir.Path, "compare", "-i", Fixtures.Path("llama-bench/commits/commits_lm_mmap.sqlite"), "-b", "876a43211", "-c", "3f545becc", "--matrix-plot", "out/matrix.png");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("geometric mean", run.Stdout, StringComparison.Ordinal);
        var png = File.ReadAllBytes(dir.File("out/matrix.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        // Two models: two 800-wide panels side by side; 4 tests and the geometric mean fit the 300-pixel minimum, plus the title.
        var width = (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19];
        var height = (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23];
        Assert.Equal((1600, 350), (width, height));
    }

    [Fact]
    public void A_baseline_from_another_database_and_save_baseline()
    {
        using var dir = new TempDir();
        var db = dir.Copy("llama-bench/commits/commits_lm_mmap.sqlite");
        var run = CliProcess.Run(dir.Path, "compare", "--baseline-db", db, "-b", "876a43211", "-i", Fixtures.Path("llama-bench/commits/commits_lm_mmap.jsonl"), "-c", "3f545becc",
            "-s", "model_filename", "--save-baseline", "after");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var large = Cells(run.Stdout).Single(r => r["Test"] == "pp64" && r["File"] == "tiny-llama-large-f32.gguf");
        Assert.Equal(("7205.18", "7133.24"), (large["t/s 876a43211"], large["t/s 3f545becc"]));
        Assert.Contains("saved baseline 'after'", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("after", CliProcess.Run(dir.Path, "baseline", "list", "-d", db).Stdout, StringComparison.Ordinal);
    }
}

public sealed class BackendOpsIngestTests
{
    [Fact]
    public void Test_backend_ops_output_ingests_into_its_table_atomically_and_compares_from_the_database()
    {
        using var dir = new TempDir();
        var ok = CliProcess.Run(dir.Path, "ingest", Fixtures.Path("test-backend-ops/perf_cpu.sql"), Fixtures.Path("test-backend-ops/perf_cpu.console"), Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"), "-d", "results.sqlite");
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.Equal(62, TestDb.Count(dir.File("results.sqlite"), "SELECT COUNT(*) FROM test_backend_ops"));
        Assert.Equal(20, TestDb.Count(dir.File("results.sqlite"), "SELECT COUNT(*) FROM llama_bench"));

        var compare = CliProcess.Run(dir.Path, "compare", "-t", "test-backend-ops", "-i", "results.sqlite", "-b", "unknown", "-c", "unknown");
        Assert.True(compare.ExitCode == 0, compare.Stderr);
        Assert.Contains("Bandwidth (GB/s) unknown", compare.Stdout, StringComparison.Ordinal);

        // With a broken input in the same command, nothing is stored — the test-backend-ops rows neither.
        File.WriteAllText(dir.File("broken.jsonl"), File.ReadAllLines(Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"))[0][..50]);
        var failed = CliProcess.Run(dir.Path, "ingest", Fixtures.Path("test-backend-ops/perf_cpu_mulmat.sql"), "broken.jsonl", "-d", "other.sqlite");
        Assert.Equal(2, failed.ExitCode);
        Assert.False(File.Exists(dir.File("other.sqlite")));
    }

    [Fact]
    public void The_warm_up_compares_its_40_benchmarks_without_error()
    {
        // It runs unobserved beside a real compare, so a break in it would otherwise go unseen.
        Assert.Equal(40, BenchGate.Workflows.Compare.CompareWarmup.Run());
    }
}
