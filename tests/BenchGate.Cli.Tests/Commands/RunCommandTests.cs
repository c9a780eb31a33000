using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests.Commands;

/// <summary>benchgate run against a stand-in that replays real llama-bench output as llama-bench prints it.</summary>
public sealed class RunCommandTests
{
    private static readonly Dictionary<string, string> Ci = new()
    {
        ["GITHUB_SHA"] = "0123456789abcdef0123456789abcdef01234567",
        ["GITHUB_REF_NAME"] = "feature/faster-matmul",
        ["RUNNER_NAME"] = "runner-7",
    };

    [Fact]
    public void Results_are_stored_as_one_run_with_commit_branch_machine_samples_log_and_peak_memory()
    {
        using var dir = new TempDir();
        var bench = StandIn.Create(dir, "llama-bench", "llama-bench/formats/small_p64_n16_r3.jsonl");
        // Each test takes a moment, as llama-bench's do, so that its memory is sampled.
        var run = CliProcess.Run(dir.Path, null, new Dictionary<string, string>(Ci) { ["STANDIN_SLEEP"] = "0.1" }, "run", "--bench", bench, "-d", "results.sqlite", "--", "-m", "model.gguf", "-p", "64", "-n", "16", "-r", "3", "-o", "sql");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var db = dir.File("results.sqlite");
        var lines = File.ReadAllLines(bench + ".jsonl").Length;
        Assert.Equal(lines, TestDb.Count(db, "SELECT COUNT(*) FROM llama_bench"));
        Assert.Equal(lines, TestDb.Count(db, "SELECT COUNT(*) FROM benchgate_results WHERE samples_ns IS NOT NULL"));
        Assert.Equal(1, TestDb.Count(db, "SELECT COUNT(*) FROM benchgate_runs WHERE commit_sha = '0123456789abcdef0123456789abcdef01234567' AND branch = 'feature/faster-matmul' AND machine = 'runner-7'"));
        Assert.Equal(1, TestDb.Count(db, "SELECT COUNT(*) FROM memory_leak_logs WHERE detector = 'rss' AND peak_memory_mb > 0 AND run_id IS NOT NULL"));
        var log = File.ReadAllText(db + ".llama-bench.log");
        // -o sql was replaced by jsonl (the only output with samples) and --progress was asked for.
        Assert.Contains("-o jsonl --progress", log, StringComparison.Ordinal);
        Assert.Contains($"llama-bench: benchmark {lines}/{lines}: starting", log, StringComparison.Ordinal);
    }

    [Fact]
    public void Peak_gpu_memory_is_stored_beside_peak_rss_and_the_gpu_and_driver_name_the_machine()
    {
        using var dir = new TempDir();
        var bench = StandIn.Create(dir, "gpu-bench", "llama-bench/formats/small_p64_n16_r3.jsonl");
        // A stand-in nvidia-smi (this machine has no NVIDIA GPU): the GPUs, and 1536 MiB held by the running stand-in llama-bench.
        var smi = StandIn.Script(dir, "nvidia-smi", """
            #!/bin/sh
            case "$1" in
              --query-gpu=*) printf 'NVIDIA GeForce RTX 4090, 550.54.14, 24564\n' ;;
              --query-compute-apps=*) printf '4012, 20030\n'; for pid in $(pgrep -f gpu-bench); do printf '%s, 1536\n' "$pid"; done ;;
              *) exit 6 ;;
            esac
            """);

        var env = new Dictionary<string, string>(Ci) { ["STANDIN_SLEEP"] = "0.3", ["BENCHGATE_NVIDIA_SMI"] = smi, ["BENCHGATE_ROCM_SMI"] = dir.File("no-rocm-smi") };
        var run = CliProcess.Run(dir.Path, null, env, "run", "--bench", bench, "-d", "results.sqlite", "--", "-m", "model.gguf");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains(", GPU 1536 MB;", run.Stdout, StringComparison.Ordinal);
        var db = dir.File("results.sqlite");
        Assert.Equal(1, TestDb.Count(db, "SELECT COUNT(*) FROM memory_leak_logs WHERE detector = 'gpu' AND peak_memory_mb = 1536 AND run_id IS NOT NULL"));
        Assert.Equal(1, TestDb.Count(db, "SELECT COUNT(*) FROM memory_leak_logs WHERE detector = 'rss' AND peak_memory_mb > 0"));
        Assert.Equal(1, TestDb.Count(db, "SELECT COUNT(*) FROM benchgate_runs WHERE machine = 'runner-7 (NVIDIA GeForce RTX 4090, driver 550.54.14)'"));

        // --machine is kept as given.
        var named = CliProcess.Run(dir.Path, null, env, "run", "--bench", bench, "-d", "results.sqlite", "--machine", "gpu-box", "--", "-m", "model.gguf");
        Assert.True(named.ExitCode == 0, named.Stderr);
        Assert.Equal(1, TestDb.Count(db, "SELECT COUNT(*) FROM benchgate_runs WHERE machine = 'gpu-box'"));
    }

    [Fact]
    public void On_an_amd_machine_rocm_smi_gives_the_peak_gpu_memory_and_names_the_gpus_and_driver()
    {
        using var dir = new TempDir();
        var bench = StandIn.Create(dir, "amd-bench", "llama-bench/formats/small_p64_n16_r3.jsonl");
        // No nvidia-smi; a stand-in rocm-smi answering the device query with a real recording (four MI100, ROCm 6.0.2)
        // and --showpids with 1 GiB held by the running stand-in llama-bench.
        var smi = StandIn.Script(dir, "rocm-smi", $$"""
            #!/bin/sh
            case "$1" in
              --showproductname) cat '{{Fixtures.Path("gpu/rocm-smi-mi100-rocm602.json")}}' ;;
              --showpids) printf 'KFD process information:\nPID\tPROCESS NAME\tGPU(s)\tVRAM USED\tSDMA USED\tCU OCCUPANCY\n'
                for pid in $(pgrep -f amd-bench); do printf '%s\tamd-bench\t1\t1073741824\t0\t0\n' "$pid"; done ;;
              *) exit 6 ;;
            esac
            """);

        var env = new Dictionary<string, string>(Ci) { ["STANDIN_SLEEP"] = "0.3", ["BENCHGATE_NVIDIA_SMI"] = dir.File("no-nvidia-smi"), ["BENCHGATE_ROCM_SMI"] = smi };
        var run = CliProcess.Run(dir.Path, null, env, "run", "--bench", bench, "-d", "results.sqlite", "--", "-m", "model.gguf");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains(", GPU 1024 MB;", run.Stdout, StringComparison.Ordinal);
        var db = dir.File("results.sqlite");
        Assert.Equal(1, TestDb.Count(db, "SELECT COUNT(*) FROM memory_leak_logs WHERE detector = 'gpu' AND peak_memory_mb = 1024"));
        Assert.Equal(1, TestDb.Count(db, "SELECT COUNT(*) FROM benchgate_runs WHERE machine = 'runner-7 (4× AMD Instinct MI100, driver 6.3.6)'"));
    }

    [Fact]
    public void A_missing_model_or_a_timeout_stores_nothing_and_says_why()
    {
        using var dir = new TempDir();
        var bench = StandIn.Create(dir, "llama-bench", "llama-bench/formats/small_p64_n16_r3.jsonl");
        var missing = CliProcess.Run(dir.Path, "run", "--bench", bench, "-d", "results.sqlite", "--", "-m", "missing.gguf");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("llama-bench exited with code 1: llama_bench: error: failed to load model 'missing.gguf'", missing.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("results.sqlite")));

        Assert.Equal(0, CliProcess.Run(dir.Path, "run", "--bench", bench, "-d", "results.sqlite", "--", "-m", "model.gguf").ExitCode);
        var before = TestDb.Count(dir.File("results.sqlite"), "SELECT COUNT(*) FROM llama_bench");
        var slow = CliProcess.Run(dir.Path, null, new Dictionary<string, string> { ["STANDIN_SLEEP"] = "2" }, "run", "--bench", bench, "-d", "results.sqlite", "--timeout", "1", "--", "-m", "model.gguf");
        Assert.Equal(2, slow.ExitCode);
        Assert.Contains("killed after --timeout 1 s", slow.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, TestDb.Count(dir.File("results.sqlite"), "SELECT COUNT(*) FROM llama_bench"));

        var nobench = CliProcess.Run(dir.Path, "run", "--bench", "no-such-llama-bench", "-d", "results.sqlite", "--", "-m", "model.gguf");
        Assert.Equal(2, nobench.ExitCode);
        Assert.Contains("no-such-llama-bench: no such file", nobench.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Interleave_alternates_baseline_and_current_binaries_and_repeat_until_confident_stops_when_it_is()
    {
        using var dir = new TempDir();
        var baseline = StandIn.Create(dir, "base-bench", "llama-bench/ab-cpu-long/ab_long_fast.jsonl");
        var current = StandIn.Create(dir, "head-bench", "llama-bench/ab-cpu-long/ab_long_slow.jsonl");
        var run = CliProcess.Run(dir.Path, "run", "--bench", current, "--interleave", baseline, "--max-runs", "2", "-d", "head.sqlite", "--baseline-db", "base.sqlite",
            "--", "-m", "model.gguf");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(["baseline", "current", "baseline", "current"], run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(':')[0]));
        Assert.Equal(2 * File.ReadAllLines(current + ".jsonl").Length, TestDb.Count(dir.File("head.sqlite"), "SELECT COUNT(*) FROM llama_bench"));
        Assert.Equal(2 * File.ReadAllLines(baseline + ".jsonl").Length, TestDb.Count(dir.File("base.sqlite"), "SELECT COUNT(*) FROM llama_bench"));

        // The slow build's regression is plain after one run: no second run is made.
        var confident = CliProcess.Run(dir.Path, "run", "--bench", current, "-d", "once.sqlite", "--repeat-until-confident", "--max-runs", "4", "--baseline", "base.sqlite", "--", "-m", "model.gguf");
        Assert.True(confident.ExitCode == 0, confident.Stderr);
        // (The fixture holds five appended llama-bench runs, so one invocation stores five runs.)
        Assert.Contains("after 1 invocation (5 runs): 2 regressions", confident.Stdout, StringComparison.Ordinal);
        Assert.Equal(5, TestDb.Count(dir.File("once.sqlite"), "SELECT COUNT(*) FROM benchgate_runs"));
    }

    [Fact]
    public void Interleaved_runs_are_stored_as_pairs_and_detect_analyses_their_differences()
    {
        using var dir = new TempDir();
        var native = StandIn.Create(dir, "native-bench", "history/interleaved_ab_native.jsonl");
        var avx2 = StandIn.Create(dir, "avx2-bench", "history/interleaved_ab_avx2.jsonl");
        var env = new Dictionary<string, string> { ["STANDIN_LINES"] = "4" };
        var run = CliProcess.Run(dir.Path, null, env, "run", "--bench", avx2, "--interleave", native, "--max-runs", "5", "-d", "head.sqlite", "--baseline-db", "base.sqlite",
            "--commit", "head1", "--", "-m", "model.gguf");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(5, TestDb.Count(dir.File("head.sqlite"), "SELECT COUNT(DISTINCT pair_id) FROM benchgate_run_pairs"));
        Assert.Equal(0, TestDb.Count(dir.File("head.sqlite"), "SELECT COUNT(*) FROM benchgate_runs WHERE run_seq NOT IN (SELECT run_seq FROM benchgate_run_pairs)"));
        Assert.Equal(20, TestDb.Count(dir.File("base.sqlite"), "SELECT COUNT(*) FROM llama_bench"));

        var detect = CliProcess.Run(dir.Path, "detect", "--baseline", "base.sqlite", "--current", "head.sqlite", "--json-output", "r.json");
        Assert.True(detect.ExitCode == 1, detect.Stdout + detect.Stderr);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("r.json")));
        var ts = json.RootElement.GetProperty("comparisons").EnumerateArray().Where(c => c.GetProperty("metric").GetString() == "avg_ts").ToList();
        Assert.All(ts, c => Assert.Equal("pairs", c.GetProperty("noise").GetProperty("source").GetString()));
        Assert.Equal(2, ts.Count(c => c.GetProperty("verdict").GetString() == "regression" && c.GetProperty("benchmark").GetString()!.Contains("pp64", StringComparison.Ordinal)));
    }
}
