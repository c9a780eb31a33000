using System.Diagnostics;
using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests.Commands;

/// <summary>memcheck on real leaks: C programs compiled here with gcc, run under Valgrind, AddressSanitizer and ctest.</summary>
public sealed class MemcheckCommandTests
{
    // The allocations happen in a function of their own and the stack is scrubbed after it returns: LeakSanitizer and
    // Valgrind scan the stack for pointers, and a stale one left there would hide a block from the report.
    private const string LeakC = """
        #include <stdlib.h>
        #include <string.h>
        static void *volatile sink;
        /* Leaks N blocks of SIZE bytes, all touched, and one 4096-byte block hanging off the first (an indirect leak). */
        __attribute__((noinline)) static void leak(int n, size_t size) {
            for (int i = 0; i < n; i++) {
                void **p = malloc(size);
                memset(p, 1, size);
                if (i == 0) { p[0] = malloc(4096); memset(p[0], 2, 4096); }
                sink = p;
                p = 0;
            }
            sink = 0;
        }
        __attribute__((noinline)) static void scrub(void) { volatile char junk[1 << 16]; memset((char *)junk, 0, sizeof junk); }
        int main(int argc, char **argv) {
            leak(argc > 1 ? atoi(argv[1]) : 4, argc > 2 ? (size_t)atol(argv[2]) : 1 << 20);
            scrub();
            return 0;
        }
        """;

    private const string CleanC = """
        #include <stdlib.h>
        #include <string.h>
        int main(void) { char *p = malloc(1 << 20); memset(p, 1, 1 << 20); free(p); return 0; }
        """;

    private const string GrowC = """
        #include <stdlib.h>
        #include <string.h>
        #include <unistd.h>
        /* Grows by 1 MiB every 50 ms for 40 iterations and never frees. */
        int main(void) { for (int i = 0; i < 40; i++) { char *p = malloc(1 << 20); memset(p, 1, 1 << 20); usleep(50000); } return 0; }
        """;

    private const string FlatC = """
        #include <stdlib.h>
        #include <string.h>
        #include <unistd.h>
        /* Allocates MB MiB once, touches it, and stays flat for 2 s. */
        int main(int argc, char **argv) {
            size_t mb = argc > 1 ? (size_t)atol(argv[1]) : 50;
            char *p = malloc(mb << 20); memset(p, 1, mb << 20);
            for (int i = 0; i < 40; i++) { p[(i * 4096) % (mb << 20)] ^= 1; usleep(50000); }
            free(p);
            return 0;
        }
        """;

    private static string Compile(TempDir dir, string name, string source, params string[] flags)
    {
        File.WriteAllText(dir.File(name + ".c"), source);
        var output = dir.File(name);
        Shell(dir.Path, "gcc", ["-g", "-O0", .. flags, "-o", output, dir.File(name + ".c")]);
        return output;
    }

    private static string Shell(string cwd, string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        // The sanitizer's leak report must not fail the test run that produced it.
        psi.Environment["ASAN_OPTIONS"] = "exitcode=0";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return stdout.Result + stderr;
    }

    [Fact]
    public void Valgrind_and_AddressSanitizer_reports_of_a_real_leak_are_found_and_stored()
    {
        using var dir = new TempDir();
        var leak = Compile(dir, "leak", LeakC);
        var leakAsan = Compile(dir, "leak_asan", LeakC, "-fsanitize=address");
        var clean = Compile(dir, "clean", CleanC);
        File.WriteAllText(dir.File("valgrind.log"), Shell(dir.Path, "valgrind", "--leak-check=full", leak, "4", "1048576"));
        File.WriteAllText(dir.File("asan.log"), Shell(dir.Path, leakAsan, "4", "1048576"));
        File.WriteAllText(dir.File("clean.log"), Shell(dir.Path, "valgrind", "--leak-check=full", clean));

        var run = CliProcess.Run(dir.Path, "memcheck", "--test-log", "valgrind.log", "--test-log", "asan.log", "--test-log", "clean.log",
            "--database", "results.sqlite", "--commit", "abc123", "--report", "memory-report.md", "--json-output", "memory.json");
        Assert.Equal(1, run.ExitCode);
        var report = File.ReadAllText(dir.File("memory-report.md"));
        Assert.Contains("## ⚠️ Memory Leaks Detected", report, StringComparison.Ordinal);
        // 4 × 1 MiB direct + 4096 bytes indirect = 4,198,400 bytes in 5 objects, from both tools.
        Assert.Equal(2, report.Split("- Leaked: 4.00 MB (4,198,400 bytes in 5 objects)").Length - 1);
        Assert.Equal(2, TestDb.Count(dir.File("results.sqlite"), "SELECT COUNT(*) FROM memory_leak_logs WHERE kind = 'leak' AND leaked_bytes = 4198400 AND commit_sha = 'abc123'"));
        Assert.Equal(1, TestDb.Count(dir.File("results.sqlite"), "SELECT COUNT(*) FROM memory_leak_logs WHERE source = 'clean.log' AND kind = 'ok' AND leaked_bytes = 0"));
        Assert.Contains("\"leaks\": 2", File.ReadAllText(dir.File("memory.json")), StringComparison.Ordinal);

        // Below the threshold the leak is listed, not failed.
        var lenient = CliProcess.Run(dir.Path, "memcheck", "--test-log", "asan.log", "--no-record", "--leak-threshold-mb", "8");
        Assert.Equal(0, lenient.ExitCode);
    }

    [Fact]
    public void Ctest_output_attributes_each_leak_report_to_its_test()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("leak.c"), LeakC);
        File.WriteAllText(dir.File("clean.c"), CleanC);
        File.WriteAllText(dir.File("CMakeLists.txt"), """
            cmake_minimum_required(VERSION 3.16)
            project(leaks C)
            add_compile_options(-fsanitize=address -g)
            add_link_options(-fsanitize=address)
            add_executable(leaky leak.c)
            add_executable(tidy clean.c)
            enable_testing()
            add_test(NAME test-leaky COMMAND leaky 2 1048576)
            add_test(NAME test-clean COMMAND tidy)
            """);
        Shell(dir.Path, "cmake", "-S", ".", "-B", "build");
        Shell(dir.Path, "cmake", "--build", "build");
        File.WriteAllText(dir.File("ctest.log"), Shell(dir.File("build"), "ctest", "-V"));

        var run = CliProcess.Run(dir.Path, "memcheck", "--test-log", "ctest.log", "--no-record", "--json-output", "m.json");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("leak: test-leaky (ctest.log): 2,097,152 bytes in 2 objects lost directly, 4,096 bytes in 1 indirectly", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("test-clean (ctest.log):", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_samples_a_process_a_steady_rise_is_a_leak_a_flat_one_is_not_and_peak_memory_is_compared_with_a_baseline()
    {
        using var dir = new TempDir();
        var grow = Compile(dir, "grow", GrowC);
        var flat = Compile(dir, "flat", FlatC);

        var growing = CliProcess.Run(dir.Path, "memcheck", "--no-record", "--run", "--", grow);
        Assert.Equal(1, growing.ExitCode);
        Assert.Contains("leak: ", growing.Stdout, StringComparison.Ordinal);
        // 1 MiB every 50 ms: about 20 MB/s, less on a loaded machine where the sleeps stretch.
        var rate = double.Parse(growing.Stdout.Split("grows: ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(rate, 8, 22);

        var steady = CliProcess.Run(dir.Path, "memcheck", "--database", "m.sqlite", "--commit", "aaaa1111", "--name", "flat", "--repeat", "3", "--run", "--", flat, "20");
        Assert.True(steady.ExitCode == 0, steady.Stdout + steady.Stderr);
        Assert.Equal(3, TestDb.Count(dir.File("m.sqlite"), "SELECT COUNT(*) FROM memory_leak_logs WHERE source = 'flat' AND detector = 'rss' AND peak_memory_mb BETWEEN 20 AND 30"));

        // The next commit holds 60 MiB instead of 20: a peak-memory regression against aaaa1111.
        var bigger = CliProcess.Run(dir.Path, "memcheck", "--database", "m.sqlite", "--commit", "bbbb2222", "--name", "flat", "--repeat", "3", "--baseline-commit", "aaaa1111", "--run", "--", flat, "60");
        Assert.Equal(1, bigger.ExitCode);
        Assert.Contains("peak memory regression", bigger.Stdout, StringComparison.Ordinal);

        var excessive = CliProcess.Run(dir.Path, "memcheck", "--no-record", "--excessive-threshold-gb", "0.01", "--run", "--", flat, "20");
        Assert.Equal(1, excessive.ExitCode);
        Assert.Contains("excessive: ", excessive.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Peak_gpu_memory_is_sampled_and_compared_with_the_baseline_commits_like_peak_rss()
    {
        using var dir = new TempDir();
        // A stand-in nvidia-smi (no NVIDIA GPU here) in its documented CSV: every sleep process holds the MiB in gpu-mib, give or take a few.
        var smi = StandIn.Script(dir, "nvidia-smi", $$"""
            #!/bin/sh
            mib=$(cat '{{dir.File("gpu-mib")}}')
            for pid in $(pgrep -x sleep); do printf '%s, %s\n' "$pid" $((mib + pid % 5)); done
            """);

        var env = new Dictionary<string, string> { ["BENCHGATE_NVIDIA_SMI"] = smi, ["BENCHGATE_ROCM_SMI"] = dir.File("no-rocm-smi") };
        string[] Memcheck(string commit, params string[] more) =>
            ["memcheck", "--database", "m.sqlite", "--commit", commit, "--name", "gpu-job", "--repeat", "3", .. more, "--run", "--", "sleep", "0.7"];

        File.WriteAllText(dir.File("gpu-mib"), "1024");
        var before = CliProcess.Run(dir.Path, null, env, Memcheck("aaaa1111"));
        Assert.True(before.ExitCode == 0, before.Stdout + before.Stderr);
        Assert.True(3 == TestDb.Count(dir.File("m.sqlite"), "SELECT COUNT(*) FROM memory_leak_logs WHERE source = 'gpu-job' AND detector = 'gpu' AND peak_memory_mb BETWEEN 1024 AND 1029"),
            before.Stdout + File.ReadAllText(smi));

        File.WriteAllText(dir.File("gpu-mib"), "2048");
        var after = CliProcess.Run(dir.Path, null, env, Memcheck("bbbb2222", "--baseline-commit", "aaaa1111"));
        Assert.True(after.ExitCode == 1, after.Stdout + after.Stderr);
        Assert.Contains("gpu-job (GPU)", File.ReadAllText(dir.File("memory-report.md")), StringComparison.Ordinal);
        // GPU memory doubled. (RSS did not move, but sleep's ~1 MB, sampled on a busy machine, is not this test's point.)
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(after.Stdout, @"peak memory [a-z]+ \([-+][\d.]+%\), peak GPU memory regression \(\+(9\d|10\d)\.\d%\)"), after.Stdout);
    }

    [Theory]
    [InlineData("no such file", "memcheck", "--test-log", "missing.log", "--no-record")]
    [InlineData("nothing to check", "memcheck", "--no-record")]
    [InlineData("--run needs the command", "memcheck", "--run", "--no-record")]
    public void Bad_input_is_one_clear_line_and_exit_2(string expected, params string[] args)
    {
        using var dir = new TempDir();
        var run = CliProcess.Run(dir.Path, args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
    }
}
