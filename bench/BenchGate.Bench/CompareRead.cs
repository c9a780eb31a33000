using System.Diagnostics;
using System.Globalization;
using BenchGate.Storage.Sqlite;

namespace BenchGate.Bench;

/// <summary>
/// compare's reading of a llama_bench database in process, warm, repeated: where issue #18's fully paired shape spends
/// its time, without the process start and JIT that make the whole command's timings noisy.
/// </summary>
internal static class CompareRead
{
    public static int Run(string db, int repeats)
    {
        using var ticks = AllocationTicks.StartIfAsked();
        for (var i = 0; i < repeats; i++)
        {
            var input = new SqliteCompareInput(db);
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var gen0 = GC.CollectionCount(0);
            var gen2 = GC.CollectionCount(2);
            var sw = Stopwatch.StartNew();
            var sides = new[] { ("aaaaaaaaa", "bbbbbbbbb"), ("bbbbbbbbb", "aaaaaaaaa") }
                .AsParallel().Select(s => input.Runs(s.Item1, [s.Item2])).ToList();
            sw.Stop();
            var rows = sides.Sum(s => s.Sum(r => r.Records.Count));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"read {rows} rows in {sides.Sum(s => s.Count)} runs: {sw.Elapsed.TotalMilliseconds:F0} ms, allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6:F0} MB, gc0 {GC.CollectionCount(0) - gen0} gc2 {GC.CollectionCount(2) - gen2}, live after a full collection {GC.GetTotalMemory(true) / 1e6:F0} MB"));
            ticks?.Print("read");
            if (ticks is not null)
            {
                var live = GC.GetTotalMemory(true);
                var cache = typeof(BenchGate.Model.BenchmarkKey).GetField("Cache", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.GetValue(null)!;
                cache.GetType().GetMethod("Clear")!.Invoke(cache, null);
                var withoutKeyCache = GC.GetTotalMemory(true);
                input = null!;
                var withoutInput = GC.GetTotalMemory(true);
                var records = sides.Sum(s => s.Sum(r => r.Records.Count));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  live {live / 1e6:F0} MB; without the key cache {withoutKeyCache / 1e6:F0} MB; without the input (pairing) {withoutInput / 1e6:F0} MB; {records} records"));
            }
            if (Environment.GetEnvironmentVariable("COMPARE_PHASE") is not null)
            {
                allocated = GC.GetTotalAllocatedBytes(precise: true);
                sw.Restart();
                var settings = new BenchGate.Compare.CompareSettings(new BenchGate.Detection.DetectionSettings(BenchGate.Detection.Thresholds.Uniform(5)));
                var result = BenchGate.Compare.LlamaBenchComparer.Compare(new("a", sides[0]), new("b", sides[1]), "a", "b", settings);
                var compared = sw.Elapsed.TotalMilliseconds;
                var table = BenchGate.Reports.CompareReport.Markdown(result);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  compared {result.Rows.Count} rows: {compared:F0} ms, table {sw.Elapsed.TotalMilliseconds - compared:F0} ms ({table.Length / 1e6:F1} M chars), allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6:F0} MB"));
            }

            ticks?.Print("compare and table");
            GC.KeepAlive(sides);
        }

        return 0;
    }
}
