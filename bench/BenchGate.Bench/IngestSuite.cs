using System.Diagnostics;
using System.Globalization;

namespace BenchGate.Bench;

/// <summary>
/// The ingest benchmark of bench/RESULTS.md: BenchGate's ingest of a generated jsonl into a fresh database,
/// each repetition in a fresh process, beside SQLite alone storing the same rows (<see cref="IngestCeiling"/>: what
/// ingest's writing side cannot go below) and the spec's own path (<c>sqlite3 db &lt; file.sql</c>, which
/// autocommits every INSERT; run on a slice of the rows because it is slow).
/// </summary>
internal static class IngestSuite
{
    private const int SqliteCliRows = 20_000;

    public static int Run(int rows, int repeats)
    {
        var dir = Path.Combine(Path.GetTempPath(), "benchgate-bench");
        Directory.CreateDirectory(dir);
        var jsonl = Path.Combine(dir, $"{rows}.jsonl");
        if (!File.Exists(jsonl) || File.ReadLines(jsonl).Take(rows + 1).Count() != rows)
        {
            Self("generate", rows.ToString(CultureInfo.InvariantCulture), jsonl);
        }

        var slice = Path.Combine(dir, $"slice-{SqliteCliRows}.jsonl");
        File.WriteAllLines(slice, File.ReadLines(jsonl).Take(SqliteCliRows));
        var sql = Path.Combine(dir, $"slice-{SqliteCliRows}.sql");
        Self("to-sql", slice, sql);

        Console.WriteLine($"input: {rows:N0} rows, {new FileInfo(jsonl).Length / 1e6:F0} MB of jsonl; {Environment.ProcessorCount} cores");
        Console.WriteLine("| run | benchgate ingest: s | rows/s | peak RSS MB | SQLite alone, llama_bench + benchgate_results: s | rows/s | SQLite alone, llama_bench only: s | rows/s | sqlite3 db < file.sql: rows | s | rows/s |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var rates = new List<double>();
        var floorRates = new List<double>();
        var cliRates = new List<double>();
        for (var i = 1; i <= repeats; i++)
        {
            var db = Path.Combine(dir, "bench.sqlite");
            File.Delete(db);
            // Each measurement starts with the previous one's writes on disk: the kernel writing back 100+ MB of an earlier
            // database during the next made runs ±40% apart.
            Sync();
            var m = Parse(Self("ingest", jsonl, db));
            File.Delete(db);
            Sync();
            var floor = Parse(Self("ingest-ceiling", jsonl, db, rows.ToString(CultureInfo.InvariantCulture)));
            File.Delete(db);
            Sync();
            var bare = Parse(Self("ingest-ceiling", jsonl, db, rows.ToString(CultureInfo.InvariantCulture), "bare"));
            var cliDb = Path.Combine(dir, "cli.sqlite");
            File.Delete(cliDb);
            var cli = Sqlite3(cliDb, sql);
            rates.Add(m.Rows / m.Seconds);
            floorRates.Add(floor.Rows / floor.Seconds);
            cliRates.Add(SqliteCliRows / cli);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {i} | {m.Seconds:F2} | {m.Rows / m.Seconds:N0} | {m.PeakMb:F0} | {floor.Seconds:F2} | {floor.Rows / floor.Seconds:N0} | {bare.Seconds:F2} | {bare.Rows / bare.Seconds:N0} | {SqliteCliRows:N0} | {cli:F2} | {SqliteCliRows / cli:N0} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median: benchgate {Median(rates):N0} rows/s, SQLite alone {Median(floorRates):N0} rows/s ({Median(rates) / Median(floorRates):F2} of it), sqlite3 CLI {Median(cliRates):N0} rows/s, ratio {Median(rates) / Median(cliRates):F0}x"));
        return 0;
    }

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[(s.Count / 2) - 1] + s[s.Count / 2]) / 2;
    }

    private static (long Rows, double Seconds, double PeakMb) Parse(string line)
    {
        var parts = line.Trim().Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        return (long.Parse(parts["rows"], CultureInfo.InvariantCulture), double.Parse(parts["seconds"], CultureInfo.InvariantCulture),
            double.Parse(parts["peak_rss_mb"], CultureInfo.InvariantCulture));
    }

    private static string Self(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        psi.ArgumentList.Add(typeof(IngestSuite).Assembly.Location);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', args)} failed: {output}");
        }

        return output.Trim().Split('\n')[^1];
    }

    private static void Sync()
    {
        using var p = Process.Start("sync");
        p.WaitForExit();
    }

    private static double Sqlite3(string db, string sqlFile)
    {
        var psi = new ProcessStartInfo("sqlite3", [db]) { RedirectStandardInput = true };
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        using (var input = File.OpenRead(sqlFile))
        {
            input.CopyTo(p.StandardInput.BaseStream);
        }

        p.StandardInput.Close();
        p.WaitForExit();
        return sw.Elapsed.TotalSeconds;
    }
}
