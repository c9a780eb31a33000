using System.Text.Json;
using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests.Commands;

public sealed class DetectCommandTests
{
    private static string Fx(string relative) => Fixtures.Path(relative);

    [Fact]
    public void A_real_regression_exits_1_and_writes_report_json_flag_history_and_alerts()
    {
        using var dir = new TempDir();
        var current = dir.Copy("llama-bench/ab-cpu-long/ab_long_slow.sqlite");
        var r = CliProcess.Run(dir.Path, "detect", "--baseline", Fx("llama-bench/ab-cpu-long/ab_long_fast.jsonl"), "--current", current, "--json-output", "report.json");
        Assert.True(r.ExitCode == 1, r.Stdout + r.Stderr);
        Assert.Contains("2 regressions", r.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("# Performance Regression Analysis Report", File.ReadAllText(dir.File("regression-report.md")), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("report.json")));
        Assert.Equal(2, json.RootElement.GetProperty("summary").GetProperty("regressions").GetInt32());
        Assert.Contains("avg_ts", File.ReadAllText(dir.File("regression-detected.flag")), StringComparison.Ordinal);
        Assert.Contains("alerts 1, 2 in regression_alerts", r.Stdout, StringComparison.Ordinal);

        var alerts = CliProcess.Run(dir.Path, "alerts", "list", "-d", current);
        Assert.Equal(0, alerts.ExitCode);
        Assert.Contains("open", alerts.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Matrix_adds_tests_by_model_to_the_report_with_the_reports_own_changes()
    {
        using var dir = new TempDir();
        var current = dir.Copy("llama-bench/ab-cpu-long/ab_long_slow.sqlite");
        var r = CliProcess.Run(dir.Path, "detect", "--baseline", Fx("llama-bench/ab-cpu-long/ab_long_fast.jsonl"), "--current", current, "--matrix", "model", "--no-record");
        Assert.True(r.ExitCode == 1, r.Stdout + r.Stderr);
        var report = File.ReadAllText(dir.File("regression-report.md"));
        var section = report[report.IndexOf("### Speedup across models", StringComparison.Ordinal)..];
        Assert.Contains("| Test                    | tiny-llama-large-f32         |", section, StringComparison.Ordinal);
        // The summary line's tg128 change, ↓ 19.89%, is the cell's 0.80.
        var change = System.Text.RegularExpressions.Regex.Match(r.Stdout, @"tg128 avg_ts ↓ ([\d.]+)%").Groups[1].Value;
        var speedup = 1 - (double.Parse(change, System.Globalization.CultureInfo.InvariantCulture) / 100);
        Assert.Contains($"| tg128 · AMD EPYC        | {speedup.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)} [", section, StringComparison.Ordinal);
        Assert.Contains("Regression |", section, StringComparison.Ordinal);

        var bad = CliProcess.Run(dir.Path, "detect", "--baseline", Fx("llama-bench/ab-cpu-long/ab_long_fast.jsonl"), "--current", current, "--matrix", "gpu", "--output", "other.md");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--matrix takes model, backend or model,backend, not 'gpu'", bad.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("other.md")));
    }

    [Fact]
    public void Peak_gpu_memory_that_run_stored_is_compared_like_a_metric_and_fails_the_gate()
    {
        using var dir = new TempDir();
        var bench = StandIn.Create(dir, "mem-bench", "llama-bench/formats/small_p64_n16_r3.jsonl");
        // A stand-in nvidia-smi (no GPU here): the running stand-in llama-bench holds the MiB in gpu-mib, give or take a few.
        var smi = StandIn.Script(dir, "nvidia-smi", $$"""
            #!/bin/sh
            mib=$(cat '{{dir.File("gpu-mib")}}')
            case "$1" in
              --query-compute-apps=*) for pid in $(pgrep -f mem-bench); do printf '%s, %s\n' "$pid" $((mib + pid % 5)); done ;;
              *) exit 6 ;;
            esac
            """);

        var env = new Dictionary<string, string> { ["STANDIN_SLEEP"] = "0.2", ["BENCHGATE_NVIDIA_SMI"] = smi, ["BENCHGATE_ROCM_SMI"] = dir.File("no-rocm-smi") };
        foreach (var (db, mib) in new[] { ("baseline.sqlite", "1024"), ("current.sqlite", "2048") })
        {
            File.WriteAllText(dir.File("gpu-mib"), mib);
            for (var i = 0; i < 2; i++)
            {
                var run = CliProcess.Run(dir.Path, null, env, "run", "--bench", bench, "-d", db, "--machine", "box", "--", "-m", "model.gguf", "-p", "64");
                Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
            }
        }

        var r = CliProcess.Run(dir.Path, "detect", "--baseline", "baseline.sqlite", "--current", "current.sqlite", "--json-output", "report.json", "--no-record");
        Assert.True(r.ExitCode == 1, r.Stdout + r.Stderr);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(r.Stdout, @"peak memory regression: -m model\.gguf -p 64 \(GPU\) ↑ (99|100)\.\d\d%"), r.Stdout);
        var report = File.ReadAllText(dir.File("regression-report.md"));
        Assert.Contains("## Peak memory per run", report, StringComparison.Ordinal);
        Assert.Contains("(GPU)` | 102", report, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("report.json")));
        Assert.Contains(json.RootElement.GetProperty("memory").EnumerateArray(), m => m.GetProperty("metric").GetString() == "peak_gpu_mb" && m.GetProperty("verdict").GetString() == "regression");
        Assert.Contains("peak memory of -m model.gguf", File.ReadAllText(dir.File("regression-detected.flag")), StringComparison.Ordinal);
    }

    [Fact]
    public void No_regression_exits_0_and_removes_a_stale_flag()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("regression-detected.flag"), "stale");
        var r = CliProcess.Run(dir.Path, "detect", "--baseline", Fx("llama-bench/ab-cpu-long/ab_long_slow.jsonl"), "--current", Fx("llama-bench/ab-cpu-long/ab_long_fast.jsonl"));
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("improvements", r.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("regression-detected.flag")));
        Assert.Contains("not recorded", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void One_database_with_two_commits_and_the_spec_environment_variables()
    {
        using var dir = new TempDir();
        var db = dir.Copy("llama-bench/commits/commits_lm_mmap.sqlite");
        var summary = dir.File("summary.md");
        var env = new Dictionary<string, string> { ["BASELINE_DB"] = db, ["RESULTS_DB"] = db, ["REGRESSION_THRESHOLD"] = "10", ["GITHUB_STEP_SUMMARY"] = summary };
        var r = CliProcess.Run(dir.Path, null, env, "detect", "--baseline-commit", "876a432", "--current-commit", "3f545becc");
        Assert.True(r.ExitCode is 0 or 3, r.Stdout + r.Stderr);
        Assert.Contains("8 benchmarks compared", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("0 regressions", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("**Threshold:** 10.0%", File.ReadAllText(dir.File("regression-report.md")), StringComparison.Ordinal);
        Assert.StartsWith("# Performance Regression Analysis Report", File.ReadAllText(summary), StringComparison.Ordinal);
    }

    [Fact]
    public void An_alert_marked_false_positive_is_not_raised_again()
    {
        using var dir = new TempDir();
        var current = dir.Copy("llama-bench/ab-cpu-long/ab_long_slow.sqlite");
        string[] args = ["detect", "--baseline", Fx("llama-bench/ab-cpu-long/ab_long_fast.jsonl"), "--current", current, "--config", "cfg.yaml"];
        File.WriteAllText(dir.File("cfg.yaml"), "metrics:\n  model_size: { threshold: 1 }\noverrides:\n  - { test: \"pp*\", threshold: 90 }\n  - { metric: avg_ns, threshold: 500 }\n");
        var first = CliProcess.Run(dir.Path, args);
        Assert.Equal(1, first.ExitCode);
        Assert.Contains("alerts 1 in regression_alerts", first.Stdout, StringComparison.Ordinal);

        var mark = CliProcess.Run(dir.Path, "alerts", "mark", "1", "--status", "false_positive", "--notes", "expected: SSE-only build", "-d", current);
        Assert.True(mark.ExitCode == 0, mark.Stderr);
        Assert.Equal("alert 1 is now false_positive: expected: SSE-only build\n", mark.Stdout);

        var again = CliProcess.Run(dir.Path, args);
        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
        Assert.Contains("marked false positive", again.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("alerts 2", again.Stdout, StringComparison.Ordinal);
        var show = CliProcess.Run(dir.Path, "alerts", "show", "1", "-d", current);
        Assert.Contains("notes: expected: SSE-only build", show.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_spec_manual_baseline_flow_works_with_baseline_name()
    {
        using var dir = new TempDir();
        var db = dir.Copy("llama-bench/commits/commits_lm_mmap.sqlite");
        Assert.Equal(0, CliProcess.Run(dir.Path, "migrate", "-d", db).ExitCode);
        // Verbatim shape of the spec: a full git hash, llama-bench stores the short one.
        TestDb.Execute(db, "INSERT INTO performance_baselines (baseline_name, commit_sha, created_at) VALUES ('v1.0', '876a4321163249c43ca4e986818fab5ab081f282', '2026-11-27T12:00:00+00:00')");

        var r = CliProcess.Run(dir.Path, "detect", "--baseline", db, "--current", db, "--baseline-name", "v1.0", "--current-commit", "3f545becc");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("8 benchmarks compared (baseline 'v1.0' (876a4321163249c43ca4e986818fab5ab081f282) → 3f545becc", r.Stdout, StringComparison.Ordinal);

        var missing = CliProcess.Run(dir.Path, "detect", "--baseline", db, "--current", db, "--baseline-name", "v2", "--current-commit", "3f545becc");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no baseline named 'v2' (saved: v1.0)", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Running_detect_twice_records_each_run_once_in_history()
    {
        using var dir = new TempDir();
        var db = dir.Copy("llama-bench/commits/commits_lm_mmap.sqlite");
        string[] args = ["detect", "--baseline", db, "--current", db, "--baseline-commit", "876a43211", "--current-commit", "3f545becc"];
        Assert.Equal(0, CliProcess.Run(dir.Path, args).ExitCode);
        var rows = TestDb.Count(db, "SELECT COUNT(*) FROM performance_history");
        Assert.Equal(3 * 8 * 3, rows);
        Assert.Equal(0, CliProcess.Run(dir.Path, args).ExitCode);
        Assert.Equal(rows, TestDb.Count(db, "SELECT COUNT(*) FROM performance_history"));
    }

    [Theory]
    [InlineData("--current-commit", "deadbeef", "no runs of commit 'deadbeef'")]
    [InlineData("--threshold", "-3", "--threshold must be a percentage")]
    [InlineData("--config", "missing.yaml", "missing.yaml: no such config file")]
    public void Bad_requests_exit_2_with_one_line(string option, string value, string message)
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "detect", "--baseline", Fx("llama-bench/ab-cpu-long/ab_long_fast.jsonl"), "--current", Fx("llama-bench/ab-cpu-long/ab_long_slow.jsonl"), option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("threshold: 5\nmetrics:\n  avg_ts: { treshold: 3 }\n", "cfg.yaml: invalid config at line 3: unknown key 'treshold' (known here: threshold)")]
    [InlineData("alpha: often\n", "cfg.yaml: invalid config at line 1: 'often' is not a number")]
    [InlineData("overrides:\n  - { backend: CUDA }\n", "cfg.yaml: invalid config at line 2: an override needs a threshold")]
    [InlineData("overrides: { backend: CUDA }\n", "cfg.yaml: invalid config at line 1: overrides must be a list")]
    [InlineData("metrics:\n  speed: { threshold: 1 }\n", "cfg.yaml: unknown metric(s) speed; known: avg_ts")]
    [InlineData("threshold: [5\n", "cfg.yaml: invalid YAML at line")]
    [InlineData("alpha: 0\n", "cfg.yaml: invalid config at line 1: alpha is the one-sided level of each test, above 0 and below 0.5, got 0")]
    [InlineData("threshold: -5\n", "cfg.yaml: invalid config at line 1: a threshold is a percentage above 0")]
    public void A_wrong_config_is_named_with_its_line_and_exit_2(string yaml, string message)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("cfg.yaml"), yaml);
        var r = CliProcess.Run(dir.Path, "detect", "--baseline", Fx("llama-bench/ab-cpu-long/ab_long_fast.jsonl"), "--current", Fx("llama-bench/ab-cpu-long/ab_long_slow.jsonl"), "--config", "cfg.yaml");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void A_missing_baseline_names_the_default_file()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "detect", "--current", Fx("llama-bench/ab-cpu-long/ab_long_fast.jsonl"));
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: performance-baseline.sqlite: no such file\n", r.Stderr);
    }

    [Fact]
    public void A_gate_that_compared_nothing_fails_with_the_parameters_that_differ()
    {
        using var dir = new TempDir();
        var db = dir.Copy("llama-bench/commits/commits_default.sqlite");
        var r = CliProcess.Run(dir.Path, "detect", "--baseline", db, "--current", db, "--baseline-commit", "876a43211", "--current-commit", "3f545becc", "--json-output", "r.json");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("nothing compared", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("load_mode: mmap (baseline) vs auto (current)", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("## ❌ Nothing Compared", File.ReadAllText(dir.File("regression-report.md")), StringComparison.Ordinal);
        Assert.DoesNotContain("No Performance Regressions", File.ReadAllText(dir.File("regression-report.md")), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("r.json")));
        Assert.Contains("load_mode", json.RootElement.GetProperty("mismatch")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, TestDb.Count(db, "SELECT COUNT(*) FROM performance_history"));
    }

    [Fact]
    public void A_side_with_several_commits_is_not_pooled_and_one_database_on_both_sides_needs_commits()
    {
        using var dir = new TempDir();
        var db = dir.Copy("llama-bench/commits/commits_lm_mmap.sqlite");
        var same = CliProcess.Run(dir.Path, "detect", "--baseline", db, "--current", db);
        Assert.Equal(2, same.ExitCode);
        Assert.Contains("are the same database", same.Stderr, StringComparison.Ordinal);

        var r = CliProcess.Run(dir.Path, "detect", "--baseline", Fx("llama-bench/commits/commits_lm_mmap.jsonl"), "--current", db, "--current-commit", "3f545becc", "--json-output", "r.json");
        Assert.True(r.ExitCode is 0 or 3, r.Stdout + r.Stderr);
        Assert.Contains("note: --baseline commits_lm_mmap.jsonl holds 2 commits; comparing its newest, 3f545becc (3 runs), not 876a43211", r.Stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("r.json")));
        Assert.All(json.RootElement.GetProperty("comparisons").EnumerateArray(), c => Assert.Equal(3, c.GetProperty("baseline_runs").GetInt32()));
    }

    [Fact]
    public void Paired_files_of_interleaved_runs_are_analysed_by_their_differences()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "detect", "--baseline", Fx("history/interleaved_ab_native.jsonl"), "--current", Fx("history/interleaved_ab_avx2.jsonl"), "--paired", "--json-output", "r.json");
        Assert.True(r.ExitCode == 1, r.Stdout + r.Stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("r.json")));
        var pp64 = json.RootElement.GetProperty("comparisons").EnumerateArray()
            .Where(c => c.GetProperty("metric").GetString() == "avg_ts" && c.GetProperty("benchmark").GetString()!.Contains("pp64", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, pp64.Count);
        Assert.All(pp64, c =>
        {
            Assert.Equal("regression", c.GetProperty("verdict").GetString());
            Assert.Equal("pairs", c.GetProperty("noise").GetProperty("source").GetString());
        });

        var uneven = CliProcess.Run(dir.Path, "detect", "--baseline", Fx("history/interleaved_ab_native.jsonl"), "--current", Fx("llama-bench/ab-cpu-long/ab_long_fast.jsonl"), "--paired");
        Assert.Equal(2, uneven.ExitCode);
        Assert.Contains("--paired: pairs need as many baseline runs as current runs", uneven.Stderr, StringComparison.Ordinal);
    }
}
