using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchGate.Detection;
using BenchGate.Reports;
using BenchGate.Storage;
using BenchGate.Storage.Sqlite;

namespace BenchGate.Bench.Detection;

/// <summary>
/// detect between two databases of 10,000 benchmark keys × 5 runs × 5 samples (issue #3's speed target, &lt; 2 s):
/// the same code path as <c>benchgate detect</c> (load both sides, analyse, both reports), in process.
/// </summary>
internal static class DetectSpeed
{
    public static int Run(int keys, int repeats)
    {
        // Allocation ticks: the load's two sides run at once, so its list mixes both threads.
        var dir = Path.Combine(Path.GetTempPath(), "benchgate-detect-speed");
        Directory.CreateDirectory(dir);
        var baseline = Build(dir, "baseline", keys, 1.0);
        var current = Build(dir, "current", keys, 0.97);
        var reader = new SqliteDatabaseFileReader();
        var times = new List<double>();
        using var ticks = AllocationTicks.StartIfAsked();
        for (var i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            var a0 = GC.GetTotalAllocatedBytes(precise: true);
            // As detect does: both sides at once.
            var currentTask = Task.Run(() => InputFiles.LoadSide(current, null, stored: true));
            var b = InputFiles.LoadSide(baseline, null, stored: true);
            var c = currentTask.GetAwaiter().GetResult();
            var load = sw.Elapsed.TotalSeconds;
            ticks?.Print("load");
            if (ticks is not null)
            {
                var info = GC.GetGCMemoryInfo();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  after load: heap {info.HeapSizeBytes / 1e6:F0} MB, committed {info.TotalCommittedBytes / 1e6:F0} MB, live {GC.GetTotalMemory(true) / 1e6:F0} MB, gen0/1/2 GCs {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}"));
            }
            var a1 = GC.GetTotalAllocatedBytes(precise: true);
            var report = new Detector(new DetectionSettings(Thresholds.Uniform(5))).Compare(b, c, DateTimeOffset.UtcNow);
            var analyse = sw.Elapsed.TotalSeconds - load;
            ticks?.Print("analyse");
            var a2 = GC.GetTotalAllocatedBytes(precise: true);
            var md = MarkdownReport.Render(report);
            var markdown = sw.Elapsed.TotalSeconds - load - analyse;
            ticks?.Print("markdown");
            var a3 = GC.GetTotalAllocatedBytes(precise: true);
            var json = JsonReport.Render(report);
            sw.Stop();
            var a4 = GC.GetTotalAllocatedBytes(precise: true);
            ticks?.Print("json", 3);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  allocated: load {(a1 - a0) / 1e6:F0} MB, analyse {(a2 - a1) / 1e6:F0} MB, markdown {(a3 - a2) / 1e6:F0} MB, json {(a4 - a3) / 1e6:F0} MB"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  load {load:F2} s, analyse {analyse:F2} s, markdown {markdown:F2} s, json {sw.Elapsed.TotalSeconds - load - analyse - markdown:F2} s"));
            times.Add(sw.Elapsed.TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {i + 1}: {sw.Elapsed.TotalSeconds:F2} s for {report.Benchmarks.Count:N0} benchmarks × {report.Comparisons.Count / Math.Max(1, report.Benchmarks.Count)} metrics, {report.Count(Verdict.Regression)} regressions; report {md.Length / 1e6:F1} MB md, {json.Length / 1e6:F1} MB json; peak RSS {Measure.PeakRssMb():F0} MB; GC pauses {GC.GetTotalPauseDuration().TotalSeconds:F2} s in all, {GC.GetTotalAllocatedBytes() / 1e6:F0} MB allocated in all"));
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median: {times[times.Count / 2]:F2} s"));
        return 0;
    }

    /// <summary>The two databases detect-speed compares (built once, kept in the temp folder).</summary>
    public static (string Baseline, string Current) Databases(int keys)
    {
        var dir = Path.Combine(Path.GetTempPath(), "benchgate-detect-speed");
        Directory.CreateDirectory(dir);
        return (Build(dir, "baseline", keys, 1.0), Build(dir, "current", keys, 0.97));
    }

    private static string Build(string dir, string name, int keys, double factor)
    {
        var db = Path.Combine(dir, $"{name}-{keys}.sqlite");
        if (File.Exists(db))
        {
            return db;
        }

        var jsonl = Path.Combine(dir, $"{name}-{keys}.jsonl");
        var template = File.ReadLines(JsonlGenerator.FindFixture("llama-bench/aa-cpu-small/aa.jsonl")).First();
        var random = new Random(name.Length);
        using (var w = new StreamWriter(jsonl, false, new UTF8Encoding(false)))
        {
            for (var run = 0; run < 5; run++)
            {
                for (var k = 1; k <= keys; k++)
                {
                    var ns = Enumerable.Range(0, 5).Select(_ => (long)(1_000_000 * (1 + (0.05 * random.NextDouble())) / factor)).ToArray();
                    var ts = ns.Select(x => 64e9 / x).ToArray();
                    var line = template.Replace("\"n_prompt\": 64", $"\"n_prompt\": {k}", StringComparison.Ordinal);
                    var cut = line.IndexOf("\"avg_ns\"", StringComparison.Ordinal);
                    w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{line[..cut]}\"avg_ns\": {(long)ns.Average()}, \"stddev_ns\": 1000, \"avg_ts\": {ts.Average():F6}, \"stddev_ts\": 10.0, \"samples_ns\": [ {string.Join(", ", ns)} ],\"samples_ts\": [ {string.Join(", ", ts.Select(x => x.ToString("G6", CultureInfo.InvariantCulture)))} ]}}"));
                }
            }
        }

        IngestBench.Ingest(jsonl, db);
        return db;
    }
}
