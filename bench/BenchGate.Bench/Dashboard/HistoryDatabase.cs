using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchGate.Ingest;
using BenchGate.Workflows;
using BenchGate.Workflows.Ingest;

namespace BenchGate.Bench.Dashboard;

/// <summary>
/// A master history as <c>ci push</c> records it: <c>benchmarks</c> keys × <c>commits</c> commits, one run of every key per
/// commit, ingested commit by commit; every tenth benchmark 8% slower from 60% of the way. Kept between runs.
/// </summary>
internal static class HistoryDatabase
{
    public static string Build(string dir, int commits, int benchmarks)
    {
        Directory.CreateDirectory(dir);
        var db = Path.Combine(dir, $"history-{commits}x{benchmarks}.sqlite");
        if (File.Exists(db))
        {
            return db;
        }

        var template = File.ReadLines(JsonlGenerator.FindFixture("llama-bench/aa-cpu-small/aa.jsonl")).First();
        var random = new Random(16);
        var host = new WorkflowHost(TextWriter.Null, TextWriter.Null, _ => null);
        var jsonl = Path.Combine(dir, "commit.jsonl");
        var sw = Stopwatch.StartNew();
        for (var c = 0; c < commits; c++)
        {
            using (var w = new StreamWriter(jsonl, false, new UTF8Encoding(false)))
            {
                for (var k = 1; k <= benchmarks; k++)
                {
                    var slower = k % 10 == 0 && c >= commits * 6 / 10 ? 1.08 : 1.0;
                    var ns = Enumerable.Range(0, 5).Select(_ => (long)(1_000_000 * (1 + (0.03 * random.NextDouble())) * slower)).ToArray();
                    var ts = ns.Select(x => 64e9 / x).ToArray();
                    var line = template.Replace("\"n_prompt\": 64", $"\"n_prompt\": {k}", StringComparison.Ordinal);
                    var cut = line.IndexOf("\"avg_ns\"", StringComparison.Ordinal);
                    w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{line[..cut]}\"avg_ns\": {(long)ns.Average()}, \"stddev_ns\": 1000, \"avg_ts\": {ts.Average():F6}, \"stddev_ts\": 10.0, \"samples_ns\": [ {string.Join(", ", ns)} ],\"samples_ts\": [ {string.Join(", ", ts.Select(x => x.ToString("G6", CultureInfo.InvariantCulture)))} ]}}"));
                }
            }

            IngestWorkflow.Run(host, new IngestRequest([jsonl], db, new IngestOptions(Commit: $"c{c:0000}", Branch: "master", Machine: "bench")));
            if ((c + 1) % 500 == 0)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {c + 1} of {commits} commits, {sw.Elapsed.TotalSeconds:F0} s"));
            }
        }

        Console.WriteLine($"built {db} in {sw.Elapsed.TotalSeconds:F0} s");
        return db;
    }
}
