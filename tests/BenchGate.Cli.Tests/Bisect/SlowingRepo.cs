using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests.Bisect;

/// <summary>
/// A real git repository whose "llama-bench" is a C program built from it: bench.c times work() (in work.c) the
/// way llama-bench times a test, repeating it -r times after a warm-up, and prints one llama-bench jsonl line. It
/// measures the process's CPU time, not wall time, so that a test suite running beside it does not drown the step. The
/// history: <see cref="Commits"/> commits after the good one; work() does twice the work from <c>culprit</c> on; one
/// commit has a work() whose time varies from call to call (and the next takes it back); one does not compile (and the
/// next fixes it).
/// </summary>
internal sealed class SlowingRepo
{
    public const int Commits = 12;
    public const string BuildCommand = "mkdir -p build/bin && cc -O1 -o build/bin/llama-bench bench.c work.c -lm";
    public static readonly string[] BenchArgs = ["-m", "model.gguf", "-r", "5", "-p", "512", "-n", "0"];

    private SlowingRepo(string path, List<string> shas)
    {
        Path = path;
        Shas = shas;
    }

    public string Path { get; }

    /// <summary>Index 0: the good end; index <see cref="Commits"/>: the bad end.</summary>
    public IReadOnlyList<string> Shas { get; }

    public static SlowingRepo Create(TempDir dir, int culprit, int noisy, int broken)
    {
        var path = dir.File("llama.cpp");
        Directory.CreateDirectory(path);
        TestGit.Run(path, "init", "-q", "-b", "master");
        File.WriteAllText(System.IO.Path.Combine(path, "bench.c"), BenchSource);
        File.WriteAllText(System.IO.Path.Combine(path, ".gitignore"), "build/\n");
        var shas = new List<string>();
        for (var i = 0; i <= Commits; i++)
        {
            var iterations = i >= culprit ? 3_000_000 : 1_500_000;
            var body = i == broken ? "this does not compile" : i == noisy ? Noisy(iterations) : Steady(iterations);
            File.WriteAllText(System.IO.Path.Combine(path, "work.c"), body);
            File.WriteAllText(System.IO.Path.Combine(path, "NEWS"), $"change {i}\n");
            TestGit.Run(path, "add", "-A");
            TestGit.Run(path, "commit", "-q", "-m", i == 0 ? "good" : i == culprit ? "make work twice as slow" : $"change {i}");
            shas.Add(TestGit.Run(path, "rev-parse", "HEAD"));
        }

        // llama-bench is run in the current directory with -m model.gguf.
        File.WriteAllText(dir.File("model.gguf"), "GGUF");
        return new SlowingRepo(path, shas);
    }

    private static string Steady(int iterations) => $$"""
        unsigned long work(unsigned long seed) {
            unsigned long x = seed;
            for (long i = 0; i < {{iterations}}L; i++) x = x * 6364136223846793005UL + 1442695040888963407UL;
            return x;
        }
        """;

    // Half the calls do half as much work again: the run's mean moves by about ±11% from run to run.
    private static string Noisy(int iterations) => $$"""
        #include <stdlib.h>
        #include <time.h>
        unsigned long work(unsigned long seed) {
            static int seeded = 0;
            if (!seeded) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); srand((unsigned)t.tv_nsec); seeded = 1; }
            long n = {{iterations}}L + (rand() % 2 ? {{iterations / 2}}L : 0);
            unsigned long x = seed;
            for (long i = 0; i < n; i++) x = x * 6364136223846793005UL + 1442695040888963407UL;
            return x;
        }
        """;

    private const string BenchSource = """
        #include <math.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <time.h>
        unsigned long work(unsigned long seed);
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
            if (reps > 32) reps = 32;
            long long s[32]; double sum = 0, var = 0; volatile unsigned long sink = work(1);
            for (int r = 0; r < reps; r++) { long long t0 = now_ns(); sink += work(r + 2); s[r] = now_ns() - t0; sum += s[r]; }
            double avg = sum / reps;
            for (int r = 0; r < reps; r++) var += (s[r] - avg) * (s[r] - avg);
            double sd = sqrt(var / (reps - 1)), ts = 512e9 / avg;
            fprintf(stderr, "llama-bench: benchmark 1/1: starting\n");
            printf("{\"build_commit\": \"unknown\", \"build_number\": 0, \"cpu_info\": \"test cpu\", \"gpu_info\": \"\", \"backends\": \"CPU\", "
                   "\"model_filename\": \"tiny-llama-small-f32.gguf\", \"model_type\": \"llama ?B all F32\", \"model_size\": 4919040, \"model_n_params\": 1229760, "
                   "\"n_batch\": 2048, \"n_ubatch\": 512, \"n_threads\": 1, \"cpu_mask\": \"0x0\", \"cpu_strict\": false, \"poll\": 50, \"type_k\": \"f16\", \"type_v\": \"f16\", "
                   "\"n_gpu_layers\": -1, \"n_cpu_moe\": 0, \"split_mode\": \"layer\", \"main_gpu\": 0, \"no_kv_offload\": false, \"flash_attn\": -1, \"devices\": \"auto\", "
                   "\"tensor_split\": \"0.00\", \"tensor_buft_overrides\": \"none\", \"load_mode\": \"auto\", \"embeddings\": false, \"no_op_offload\": 0, \"no_host\": false, "
                   "\"fit_target\": 0, \"fit_min_ctx\": 0, \"n_prompt\": 512, \"n_gen\": 0, \"n_depth\": 0, \"test_time\": \"2026-12-02T00:00:00Z\", "
                   "\"avg_ns\": %lld, \"stddev_ns\": %lld, \"avg_ts\": %f, \"stddev_ts\": %f, \"samples_ns\": [", (long long)avg, (long long)sd, ts, ts * sd / avg);
            for (int r = 0; r < reps; r++) printf("%s%lld", r ? ", " : " ", s[r]);
            printf(" ],\"samples_ts\": [");
            for (int r = 0; r < reps; r++) printf("%s%f", r ? ", " : " ", 512e9 / s[r]);
            printf(" ]}\n");
            return (int)(sink & 0);
        }
        """;
}
