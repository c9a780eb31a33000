using System.Diagnostics;
using System.Globalization;
using BenchGate.Bench;

// Benchmarks with recorded results (bench/RESULTS.md). Each measurement runs in a fresh process so
// peak memory is that of the measured work alone.
//   generate <rows> <out.jsonl>       a jsonl of <rows> llama-bench records in runs of 8 (from real fixture rows)
//   to-sql <in.jsonl> <out.sql>       the same rows as llama-bench's -o sql text (what sqlite3 would be fed)
//   parse <in.jsonl>                  read + normalise only
//   ingest <in.jsonl> <db>            the full ingest into a fresh SQLite database
//   ingest-ceiling <in.jsonl> <db> <rows> [bare]   SQLite alone storing the input's first rows over and over (bare: llama_bench only)
//   ingest-suite <rows> [repeats]     generate, then ingest and sqlite3 side by side, repeated; prints a table
//   detection [trials]                detection quality on real A/A, real A/B and synthetic shifts (bench/RESULTS.md)
//   trend [trials] [held-out.jsonl]   change points on real histories and synthetic steps, three methods; trend's speed
//   gate [held-out.jsonl]             ⚠️ on consecutive A/A commits, blindness after a step, pairs against unpaired
//   compare-speed [compare-llama-bench.py] [repeats]   benchgate compare beside the script on 120,000 rows
//   compare-read <db> [repeats]       compare's reading of both sides of a llama_bench database, in process, warm
//   detect-speed [keys]               detect between two databases of <keys> benchmarks × 5 runs × 5 samples
//   bisect [trials] [held-out.jsonl] bisect against git bisect (1 and 3 runs per step) at the noise of real A/A recordings
//   storage-speed <admin-conn> [rows] [repeats]   PostgreSQL beside SQLite: ingest (1 and 8 writers) and detect
//   history-db <dir> <commits> <benchmarks>   a master history of one run per commit, ingested commit by commit (kept)
//   history-jsonl <commits> <benchmarks>      the same history as jsonl on stdout, for benchgate ingest - (10,000 × 1,000: 10 million rows)
//   dashboard-speed [commits] [benchmarks]   benchgate dashboard's time and the pages' paint in chromium, SVG against uPlot
// As the CLI does first thing; SQLITE_MEMSTATUS=1 keeps SQLite's default (statistics on, one mutex) to measure the difference.
if (Environment.GetEnvironmentVariable("SQLITE_MEMSTATUS") != "1")
{
    BenchGate.Storage.Sqlite.SqliteLibrary.Configure();
}

return args switch
{
    ["generate", var rows, var output] => Measure.Report(() => JsonlGenerator.Write(output, int.Parse(rows, CultureInfo.InvariantCulture))),
    ["to-sql", var input, var output] => Measure.Report(() => SqlExport.Write(input, output)),
    ["parse", var input] => Measure.Report(() => IngestBench.ParseOnly(input)),
    ["ingest", var input, var db] => Measure.Report(() => IngestBench.Ingest(input, db)),
    ["ingest-ceiling", var input, var db, var rows, .. var rest] => Measure.Report(() => IngestCeiling.Run(input, db, int.Parse(rows, CultureInfo.InvariantCulture), rest is not ["bare"])),
    ["detect-speed", .. var rest] => BenchGate.Bench.Detection.DetectSpeed.Run(rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 10_000, 3),
    ["compare-read", var db, .. var rest] => BenchGate.Bench.CompareRead.Run(db, rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 5),
    ["paired-db", var output] => Measure.Report(() => BenchGate.Bench.CompareSpeed.BuildPaired(output).Length),
    ["compare-speed", .. var rest] => BenchGate.Bench.CompareSpeed.Run(rest.Length > 0 ? rest[0] : null, rest.Length > 1 ? int.Parse(rest[1], CultureInfo.InvariantCulture) : 3),
    ["gate", .. var rest] => BenchGate.Bench.Detection.GateHarness.Run(rest.Length > 0 ? rest[0] : null),
    ["trend", .. var rest] => BenchGate.Bench.Trend.TrendHarness.Run(rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 400, rest.Length > 1 ? rest[1] : null),
    ["bisect", .. var rest] => BenchGate.Bench.Bisect.BisectHarness.Run(rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 1000, rest.Length > 1 ? rest[1] : null),
    ["detection", .. var rest] => BenchGate.Bench.Detection.DetectionHarness.Run(rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 400),
    ["storage-speed", var admin, .. var rest] => StorageSpeed.Run(admin, rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 200_000, rest.Length > 1 ? int.Parse(rest[1], CultureInfo.InvariantCulture) : 3),
    ["dashboard-speed", .. var rest] => BenchGate.Bench.Dashboard.DashboardSpeed.Run(rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 500, rest.Length > 1 ? int.Parse(rest[1], CultureInfo.InvariantCulture) : 1000).GetAwaiter().GetResult(),
    ["history-db", var dir, var commits, var benchmarks] => Measure.Report(() => new FileInfo(BenchGate.Bench.Dashboard.HistoryDatabase.Build(dir, int.Parse(commits, CultureInfo.InvariantCulture), int.Parse(benchmarks, CultureInfo.InvariantCulture))).Length),
    ["history-jsonl", var commits, var benchmarks] => WriteHistory(int.Parse(commits, CultureInfo.InvariantCulture), int.Parse(benchmarks, CultureInfo.InvariantCulture)),
    ["ingest-suite", var rows, .. var rest] => IngestSuite.Run(int.Parse(rows, CultureInfo.InvariantCulture), rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 3),
    _ => Usage(),
};

static int WriteHistory(int commits, int benchmarks)
{
    using var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16);
    BenchGate.Bench.Dashboard.HistoryDatabase.Jsonl(stdout, commits, benchmarks);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: generate <rows> <out.jsonl> | to-sql <in> <out.sql> | parse <in> | ingest <in> <db> | ingest-suite <rows> [repeats] | detection [trials] | bisect [trials] [held-out] | trend [trials] [held-out] | gate [held-out] | detect-speed [keys] | compare-speed [script.py] [repeats] | storage-speed <admin-conn> [rows] [repeats] | dashboard-speed [commits] [benchmarks]");
    return 2;
}

namespace BenchGate.Bench
{
    /// <summary>Runs one piece of work and prints rows, seconds and peak RSS as one parseable line.</summary>
    internal static class Measure
    {
        public static int Report(Func<long> work)
        {
            var sw = Stopwatch.StartNew();
            var rows = work();
            sw.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rows={rows} seconds={sw.Elapsed.TotalSeconds:F3} peak_rss_mb={PeakRssMb():F1}"));
            return 0;
        }

        public static double PeakRssMb()
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
                }
            }

            return double.NaN;
        }
    }
}
