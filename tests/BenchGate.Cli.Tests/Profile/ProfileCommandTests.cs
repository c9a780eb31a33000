using System.Text.Json;
using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests.Profile;

/// <summary>benchgate profile on real builds of a C program under the real Linux perf.</summary>
public sealed class ProfileCommandTests
{
    private static string[] Profile(string baseline, string current, params string[] more) =>
        ["profile", "--baseline-bench", baseline, "--bench", current, "--frequency", "4000", .. more, "--", .. PerfBuilds.Args];

    /// <summary>profile as a machine without NVIDIA tools runs it, whatever this one has installed.</summary>
    private static CliProcess.Result RunProfile(TempDir dir, params string[] args) => CliProcess.Run(dir.Path, null,
        new Dictionary<string, string> { ["BENCHGATE_NSYS"] = dir.File("no-nsys"), ["BENCHGATE_NVIDIA_SMI"] = dir.File("no-nvidia-smi") }, args);

    [Fact]
    public void The_function_made_twice_as_slow_leads_the_profile_beside_the_speed_llama_bench_measured()
    {
        PerfBuilds.RequirePerf();
        using var dir = new TempDir();
        var (baseline, current) = PerfBuilds.Build(dir);
        var r = RunProfile(dir, Profile(baseline, current, "-o", "profile.md", "--json-output", "profile.json", "--top", "1000"));
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("profile: CPU time ↑", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("vec_dot +", r.Stdout, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("profile.json")));
        var root = json.RootElement;
        var top = root.GetProperty("functions")[0];
        Assert.Equal(("vec_dot", "llama-bench", "slower"), (top.GetProperty("symbol").GetString(), top.GetProperty("module").GetString(), top.GetProperty("verdict").GetString()));
        // vec_dot was 3 of 4 units of work and became 6 of 7: +75% of the baseline's cost (a share would say +11%); the
        // bounds are wide because other tests share the 2 cores with this one.
        Assert.InRange(top.GetProperty("cost_change").GetDouble(), 0.35, 1.2);
        var tokenize = root.GetProperty("functions").EnumerateArray().First(f => f.GetProperty("symbol").GetString() == "tokenize");
        Assert.True(Math.Abs(tokenize.GetProperty("cost_change").GetDouble()) < top.GetProperty("cost_change").GetDouble() / 3, tokenize.ToString());
        Assert.True(tokenize.GetProperty("new_share").GetDouble() < tokenize.GetProperty("baseline_share").GetDouble(), "tokenize's share falls although its cost does not");
        var speed = Assert.Single(root.GetProperty("speeds").EnumerateArray());
        Assert.InRange(speed.GetProperty("change_pct").GetDouble(), -70, -15);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("counters").ValueKind);
        Assert.Equal(PerfBuilds.Args, root.GetProperty("args").EnumerateArray().Select(a => a.GetString()));

        var md = File.ReadAllText(dir.File("profile.md"));
        Assert.Contains("| `vec_dot` | llama-bench |", md, StringComparison.Ordinal);
        Assert.Contains("⚠️ slower", md, StringComparison.Ordinal);
        Assert.DoesNotContain("### Counters", md, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.perf.data", SearchOption.AllDirectories));
    }

    [Fact]
    public void Stripped_builds_get_perf_stat_counters_and_a_note_and_the_data_is_kept_on_request()
    {
        PerfBuilds.RequirePerf();
        using var dir = new TempDir();
        // task-clock counts the whole process, and on a busy 2-core machine a run can lose a third of its clock to the
        // other tests: four times the vec_dot work (13 units against 4) keeps the counters' direction clear of that.
        var (baseline, current) = PerfBuilds.Build(dir, stripped: true, slowdown: 4);
        var r = RunProfile(dir, Profile(baseline, current, "--json-output", "profile.json", "--work-dir", "perf"));
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("### Counters (perf stat)", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("The baseline and new builds have names for fewer than half", r.Stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("profile.json")));
        Assert.True(json.RootElement.GetProperty("new").GetProperty("resolved_share").GetDouble() < 0.5);
        var clock = json.RootElement.GetProperty("counters").EnumerateArray().First(c => c.GetProperty("name").GetString() == "task-clock");
        Assert.True(clock.GetProperty("new").GetDouble() > clock.GetProperty("baseline").GetDouble() * 1.3, clock.ToString());
        Assert.True(File.Exists(dir.File("perf/new.perf.data")));
        Assert.True(File.Exists(dir.File("perf/baseline.perf-stat.txt")));
    }

    [Fact]
    public void A_profile_is_appended_to_a_detect_report_and_attached_to_its_alert()
    {
        PerfBuilds.RequirePerf();
        using var dir = new TempDir();
        var (baseline, current) = PerfBuilds.Build(dir);
        var db = dir.Copy("llama-bench/ab-cpu-long/ab_long_slow.sqlite");
        var detect = CliProcess.Run(dir.Path, "detect", "--baseline", Fixtures.Path("llama-bench/ab-cpu-long/ab_long_fast.jsonl"), "--current", db);
        Assert.True(detect.ExitCode == 1, detect.Stdout + detect.Stderr);
        var report = File.ReadAllText(dir.File("regression-report.md"));

        var r = RunProfile(dir, Profile(baseline, current, "--alert", "1", "-d", db, "-o", "regression-report.md", "--append"));
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("profile 1 attached to alert 1", r.Stdout, StringComparison.Ordinal);
        var appended = File.ReadAllText(dir.File("regression-report.md"));
        Assert.StartsWith(report, appended, StringComparison.Ordinal);
        Assert.Contains("## 🔬 Profile: alert 1, ", appended[report.Length..], StringComparison.Ordinal);

        var show = CliProcess.Run(dir.Path, "alerts", "show", "1", "-d", db);
        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Matches(@"profile 1 \(\d{4}-\d\d-\d\dT[\d:]+Z\): CPU time ↑ [\d.]+% in total; vec_dot \+", show.Stdout);
        var latest = CliProcess.Run(dir.Path, "alerts", "show", "1", "-d", db, "--profile");
        Assert.Equal(appended[report.Length..].TrimStart('\n'), latest.Stdout);
        var none = CliProcess.Run(dir.Path, "alerts", "show", "2", "-d", db, "--profile");
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("alert 2 has no profile attached", none.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_nsys_is_said_and_the_perf_profile_goes_on()
    {
        PerfBuilds.RequirePerf();
        using var dir = new TempDir();
        var (baseline, current) = PerfBuilds.Build(dir);
        var r = CliProcess.Run(dir.Path, null, new Dictionary<string, string> { ["BENCHGATE_NSYS"] = dir.File("no-nsys") }, Profile(baseline, current, "--nsys", "--top", "2"));
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("nsys (NVIDIA Nsight Systems) not found: its profile is skipped", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("> Nsight Systems: nsys was not found on this machine", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Where_nsys_is_installed_both_builds_run_under_it_and_the_kernels_whose_gpu_time_changed_lead_its_table()
    {
        PerfBuilds.RequirePerf();
        using var dir = new TempDir();
        var (baseline, current) = PerfBuilds.Build(dir);
        // A stand-in nsys (no NVIDIA GPU here): profile runs the build and writes the report file; stats answers with
        // the kernel summary of that build, in nsys's CSV.
        var nsys = StandIn.Script(dir, "nsys", $$"""
            #!/bin/sh
            echo "$*" >> '{{dir.File("nsys-calls")}}'
            case "$1" in
              --version) echo 'NVIDIA Nsight Systems version 2024.5.1.113-245134619542v0' ;;
              profile) shift; out=
                while [ "$1" != "--" ]; do if [ "$1" = "-o" ]; then shift; out=$1; fi; shift; done; shift
                "$@" > /dev/null || exit $?
                : > "$out.nsys-rep" ;;
              stats) for a; do rep=$a; done
                case "$rep" in */baseline.nsys-rep) cat '{{Fixtures.Path("nsys/kern_sum_baseline.csv")}}' ;; *) cat '{{Fixtures.Path("nsys/kern_sum_new.csv")}}' ;; esac ;;
              *) exit 1 ;;
            esac
            """);

        // --nsys: without looking for a GPU (this machine has none).
        var r = CliProcess.Run(dir.Path, null, new Dictionary<string, string> { ["BENCHGATE_NSYS"] = nsys },
            Profile(baseline, current, "--nsys", "--top", "3", "-o", "profile.md", "--json-output", "profile.json", "--work-dir", "work"));

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var calls = File.ReadAllLines(dir.File("nsys-calls"));
        Assert.Contains(calls, c => c.StartsWith("profile --force-overwrite=true -o " + dir.File("work/baseline") + " -- " + baseline, StringComparison.Ordinal));
        Assert.Contains(calls, c => c == "stats --force-export=true --report cuda_gpu_kern_sum --format csv --output - " + dir.File("work/new.nsys-rep"));
        var md = File.ReadAllText(dir.File("profile.md"));
        Assert.Contains("### GPU Kernels Whose Time Changed Most (Nsight Systems)", md, StringComparison.Ordinal);
        // flash attention 44.76 → 89.13 ms leads; quantize_q8_1 is gone (−12.99 ms); soft_max −2.72 ms; mul_mat_q's +0.25 ms is below the top 3.
        var rows = md.Split('\n').Where(l => l.StartsWith("| `void flash", StringComparison.Ordinal) || l.StartsWith("| `quantize", StringComparison.Ordinal) || l.StartsWith("| `void soft_max", StringComparison.Ordinal) || l.StartsWith("| `void mul_mat_q", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, rows.Count);
        Assert.EndsWith("| 44.758 | 89.129 | ↑ 99.14% | 640 → 640 |", rows[0]);
        Assert.EndsWith("| 12.995 |  | gone | 1280 → 0 |", rows[1]);
        Assert.Contains("work/baseline.nsys-rep and ", md, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("profile.json")));
        var first = json.RootElement.GetProperty("gpu_kernels")[0];
        Assert.Equal((44_757_504L, 89_128_960L), (first.GetProperty("baseline_ns").GetInt64(), first.GetProperty("new_ns").GetInt64()));

        // By default nsys runs only where nvidia-smi finds a GPU (none here: silent), and --no-nsys never: perf alone.
        foreach (var flags in new[] { Array.Empty<string>(), ["--no-nsys"] })
        {
            File.Delete(dir.File("nsys-calls"));
            var env = new Dictionary<string, string> { ["BENCHGATE_NSYS"] = nsys, ["BENCHGATE_NVIDIA_SMI"] = dir.File("no-nvidia-smi") };
            var perfOnly = CliProcess.Run(dir.Path, null, env, Profile(baseline, current, [.. flags, "--top", "2"]));
            Assert.True(perfOnly.ExitCode == 0, perfOnly.Stdout + perfOnly.Stderr);
            Assert.False(File.Exists(dir.File("nsys-calls")));
            Assert.DoesNotContain("GPU Kernels", perfOnly.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("Nsight", perfOnly.Stdout + perfOnly.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Bad_input_gets_one_line_naming_the_problem_and_exit_2()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("model.gguf"), "GGUF");
        StandIn.Script(dir, "fails", "#!/bin/sh\necho 'llama_bench: error: failed to load model' >&2\nexit 1\n");
        StandIn.Script(dir, "prints-text", "#!/bin/sh\necho '| model | size |'\n");

        var cases = new List<(string[] Args, Dictionary<string, string>? Env, string Message)>
        {
            (Profile("missing-old", dir.File("fails")), null, "--baseline-bench missing-old: no such file"),
            (Profile(dir.File("fails"), dir.File("fails"), "--append"), null, "--append needs --output FILE"),
            (Profile(dir.File("fails"), dir.File("fails")), new() { ["BENCHGATE_PERF"] = dir.File("no-perf") }, "no-perf not found: profile needs Linux perf"),
            (["profile", "--baseline-bench", "a", "--bench", "b", "--frequency", "0"], null, "--frequency must be between 1 and 100000, got 0"),
        };
        if (PerfUsable())
        {
            cases.Add((Profile(dir.File("fails"), dir.File("fails")), null, "exited with code 1 under perf record: llama_bench: error: failed to load model"));
            cases.Add((Profile(dir.File("prints-text"), dir.File("prints-text")), null, "prints-text"));
            cases.Add((Profile(dir.File("fails"), dir.File("fails"), "--alert", "7", "-d", dir.File("none.sqlite")), null, "none.sqlite"));
        }

        foreach (var (args, env, message) in cases)
        {
            var r = CliProcess.Run(dir.Path, null, env, args);
            Assert.True(r.ExitCode == 2, $"{string.Join(' ', args)}: {r.ExitCode} {r.Stdout}{r.Stderr}");
            Assert.Contains(message, r.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(dir.File("none.sqlite")), "a database that did not exist is not created");
    }

    private static bool PerfUsable()
    {
        try
        {
            PerfBuilds.RequirePerf();
            return true;
        }
        catch (Exception e) when (e.GetType().Name.Contains("Skip", StringComparison.Ordinal))
        {
            return false;
        }
    }
}
