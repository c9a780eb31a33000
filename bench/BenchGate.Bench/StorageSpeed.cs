using System.Diagnostics;
using System.Globalization;
using BenchGate.Detection;
using BenchGate.Ingest;
using BenchGate.Reports;
using BenchGate.Storage;
using BenchGate.Storage.Sqlite;
using Npgsql;

namespace BenchGate.Bench;

/// <summary>
/// PostgreSQL beside SQLite (issue #7), on the same code paths as the commands: ingest throughput (one writer,
/// and eight writers at once) and detect on 10,000 keys × 5 runs × 5 samples read from each backend.
/// </summary>
internal static class StorageSpeed
{
    public static int Run(string adminConnectionString, int rows, int repeats)
    {
        var dir = Path.Combine(Path.GetTempPath(), "benchgate-storage-speed");
        Directory.CreateDirectory(dir);
        var jsonl = Path.Combine(dir, $"rows-{rows}.jsonl");
        if (!File.Exists(jsonl))
        {
            JsonlGenerator.Write(jsonl, rows);
        }

        var slice = Path.Combine(dir, $"rows-{rows / 8}.jsonl");
        if (!File.Exists(slice))
        {
            JsonlGenerator.Write(slice, rows / 8);
        }

        var pg = new Server(adminConnectionString);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ingest of {rows:N0} rows, one writer (median of {repeats}):"));
        Report("sqlite", Times(repeats, () => IngestInto(Path.Combine(dir, $"one-{Guid.NewGuid():N}.sqlite"), jsonl)), rows);
        Report("postgres", Times(repeats, () => IngestInto(pg.NewDatabase(), jsonl)), rows);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ingest of 8 × {rows / 8:N0} rows, eight writers at once into one store (median of {repeats}):"));
        Report("sqlite", Times(repeats, () => Eight(Path.Combine(dir, $"eight-{Guid.NewGuid():N}.sqlite"), slice)), rows / 8 * 8);
        Report("postgres", Times(repeats, () => Eight(pg.NewDatabase(), slice)), rows / 8 * 8);

        var (baseline, current) = Detection.DetectSpeed.Databases(10_000);
        var (pgBaseline, pgCurrent) = (pg.NewDatabase(), pg.NewDatabase());
        Copy(baseline, pgBaseline);
        Copy(current, pgCurrent);
        Console.WriteLine($"detect, 10,000 keys × 5 runs × 5 samples per side, load + analyse + markdown (median of {repeats}):");
        Report("sqlite", Times(repeats, () => Detect(baseline, current)), 0);
        Report("postgres", Times(repeats, () => Detect(pgBaseline, pgCurrent)), 0);
        return 0;
    }

    private static void IngestInto(string location, string jsonl)
    {
        using var store = ResultStores.Open(location);
        using var tx = store.BeginIngest();
        new Ingestor(tx, new SqliteDatabaseFileReader()).IngestFile(jsonl, new IngestOptions(AllowDuplicates: true));
        tx.Commit();
    }

    private static void Eight(string location, string jsonl)
    {
        using (var store = ResultStores.Open(location))
        {
            store.Migrate();
        }

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ => IngestInto(location, jsonl));
    }

    private static void Detect(string baseline, string current)
    {
        var currentTask = Task.Run(() => StoredSides.Load(current, null));
        var b = StoredSides.Load(baseline, null);
        var report = new Detector(new DetectionSettings(Thresholds.Uniform(5))).Compare(b, currentTask.GetAwaiter().GetResult(), DateTimeOffset.UtcNow);
        _ = MarkdownReport.Render(report);
    }

    private static void Copy(string from, string to)
    {
        using var a = ResultStores.Open(from, create: false);
        using var b = ResultStores.Open(to);
        RunCopier.Copy(a, b);
    }

    private static List<double> Times(int repeats, Action work)
    {
        var times = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            work();
            times.Add(sw.Elapsed.TotalSeconds);
        }

        times.Sort();
        return times;
    }

    private static void Report(string backend, List<double> times, long rows)
    {
        var median = times[times.Count / 2];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {backend,-8} median {median:F2} s (runs: {string.Join(", ", times.Select(t => t.ToString("F2", CultureInfo.InvariantCulture)))}){(rows > 0 ? $", {rows / median:N0} rows/s" : "")}"));
    }

    private sealed class Server(string admin)
    {
        public string NewDatabase()
        {
            var b = new NpgsqlConnectionStringBuilder(admin);
            var name = "bench_" + Guid.NewGuid().ToString("N")[..12];
            using (var c = new NpgsqlConnection(admin))
            {
                c.Open();
                using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
                cmd.ExecuteNonQuery();
            }

            return $"Host={b.Host};Port={b.Port};Username={b.Username};Database={name}";
        }
    }
}
