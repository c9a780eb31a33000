using System.Diagnostics;
using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests.Profile;

/// <summary>
/// Two builds of a C "llama-bench", compiled in the test: each run calls tokenize() and vec_dot() -r times and prints
/// one llama-bench jsonl line of its CPU time; the new build's vec_dot does twice the work. Tests that need Linux perf
/// are skipped with a message where perf cannot sample, unless BENCHGATE_REQUIRE_PERF=1 (as .ci/run sets).
/// </summary>
internal static class PerfBuilds
{
    public static readonly string[] Args = ["-m", "model.gguf", "-p", "512", "-n", "0", "-r", "10"];

    private static readonly Lazy<string?> Problem = new(() =>
    {
        var psi = new ProcessStartInfo("perf") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["stat", "-e", "task-clock", "true"])
        {
            psi.ArgumentList.Add(a);
        }

        try
        {
            using var p = Process.Start(psi)!;
            var error = p.StandardError.ReadToEnd();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? null : $"perf cannot count here: {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "perf is not installed (apt-get install linux-perf)";
        }
    });

    /// <summary>Skips the test where perf cannot sample, or fails it where perf is required.</summary>
    public static void RequirePerf()
    {
        if (Problem.Value is { } problem)
        {
            Assert.SkipWhen(Environment.GetEnvironmentVariable("BENCHGATE_REQUIRE_PERF") != "1", problem + ": profile's tests are skipped");
            Assert.Fail("BENCHGATE_REQUIRE_PERF=1 but " + problem);
        }
    }

    /// <summary>
    /// Compiles the baseline and the new build into <paramref name="dir"/>: (baseline, new). The new build's vec_dot
    /// does <paramref name="slowdown"/> times the work.
    /// </summary>
    public static (string Baseline, string New) Build(TempDir dir, bool stripped = false, int slowdown = 2)
    {
        File.WriteAllText(dir.File("bench.c"), Source);
        File.WriteAllText(dir.File("model.gguf"), "GGUF");
        // Stripped and without a build id, perf cannot find the symbols anywhere (not even in ~/.debug).
        string[] flags = stripped ? ["-O1", "-s", "-Wl,--build-id=none"] : ["-O1", "-g"];
        Compile(dir, [.. flags, "-o", "llama-bench-old", "bench.c"]);
        Compile(dir, [.. flags, $"-DDOT_N={3_000_000L * slowdown}L", "-o", "llama-bench", "bench.c"]);
        return (dir.File("llama-bench-old"), dir.File("llama-bench"));
    }

    private static void Compile(TempDir dir, string[] args)
    {
        var psi = new ProcessStartInfo("cc") { WorkingDirectory = dir.Path, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"cc {string.Join(' ', args)}: {error}");
    }

    private const string Source = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <time.h>
        #ifndef DOT_N
        #define DOT_N 3000000L
        #endif
        __attribute__((noinline)) unsigned long vec_dot(unsigned long x) { for (long i = 0; i < DOT_N; i++) x = x * 6364136223846793005UL + 1442695040888963407UL; return x; }
        __attribute__((noinline)) unsigned long tokenize(unsigned long x) { for (long i = 0; i < 1000000L; i++) x = x * 2862933555777941757UL + 3037000493UL; return x; }
        static long long now_ns(void) { struct timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }
        int main(int argc, char **argv) {
            int reps = 5, jsonl = 0; const char *model = "model.gguf";
            for (int i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "-r") && i + 1 < argc) reps = atoi(argv[++i]);
                else if (!strcmp(argv[i], "-m") && i + 1 < argc) model = argv[++i];
                else if (!strcmp(argv[i], "-o") && i + 1 < argc) jsonl = !strcmp(argv[++i], "jsonl");
            }
            FILE *f = fopen(model, "rb");
            if (!f) { fprintf(stderr, "llama_bench: error: failed to load model '%s'\n", model); return 1; }
            fclose(f);
            if (!jsonl) { fprintf(stderr, "this stand-in writes jsonl only\n"); return 2; }
            if (reps < 2) reps = 2;
            if (reps > 64) reps = 64;
            volatile unsigned long sink = 0; long long s[64]; double sum = 0;
            for (int r = 0; r < reps; r++) { long long t0 = now_ns(); sink += tokenize(r); sink += vec_dot(r); s[r] = now_ns() - t0; sum += s[r]; }
            double avg = sum / reps, ts = 512e9 / avg;
            printf("{\"build_commit\": \"unknown\", \"build_number\": 0, \"cpu_info\": \"test cpu\", \"gpu_info\": \"\", \"backends\": \"CPU\", "
                   "\"model_filename\": \"model.gguf\", \"model_type\": \"llama ?B all F32\", \"model_size\": 4919040, \"model_n_params\": 1229760, "
                   "\"n_batch\": 2048, \"n_ubatch\": 512, \"n_threads\": 1, \"type_k\": \"f16\", \"type_v\": \"f16\", \"n_gpu_layers\": -1, "
                   "\"n_prompt\": 512, \"n_gen\": 0, \"n_depth\": 0, \"test_time\": \"2026-12-02T00:00:00Z\", "
                   "\"avg_ns\": %lld, \"stddev_ns\": 0, \"avg_ts\": %f, \"stddev_ts\": 0, \"samples_ns\": [", (long long)avg, ts);
            for (int r = 0; r < reps; r++) printf("%s%lld", r ? ", " : "", s[r]);
            printf("], \"samples_ts\": [");
            for (int r = 0; r < reps; r++) printf("%s%f", r ? ", " : "", 512e9 / s[r]);
            printf("]}\n");
            return (int)(sink & 0);
        }
        """;
}
