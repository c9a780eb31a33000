using BenchGate.Cli.Rendering;
using BenchGate.Ingest;
using BenchGate.Storage;
using BenchGate.Storage.Sqlite;
using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests.Rendering;

/// <summary>
/// Pins the text of <c>benchgate show</c> (table and JSON) for a database built from fixtures with a fixed
/// clock and run ids. Set BENCHGATE_UPDATE_GOLDEN=1 to rewrite the expected files after a deliberate change.
/// </summary>
public sealed class ShowGoldenTests
{
    private static StoreSummary Summary(TempDir dir)
    {
        var db = dir.File("results.sqlite");
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        using var store = SqliteResultStore.Open(db, clock: clock);
        using (var tx = store.BeginIngest())
        {
            var ingestor = new Ingestor(tx, new SqliteDatabaseFileReader());
            ingestor.IngestFile(dir.Copy("llama-bench/aa-cpu-small/aa.jsonl"), new IngestOptions(RunId: "aa", Branch: "master", Machine: "ci-cpu-1"));
            ingestor.IngestFile(dir.Copy("llama-bench/old-2024/old.sqlite"), new IngestOptions(RunId: "old"));
            ingestor.IngestFile(dir.Copy("llama-bench/formats/small_multi.md"), new IngestOptions(RunId: "md", Machine: "laptop"));
            tx.Commit();
        }

        var summary = store.Summarize();
        return summary with
        {
            Location = "results.sqlite",
            Runs = [.. summary.Runs.Select(r => r with { Source = Path.GetFileName(r.Source) })],
        };
    }

    [Fact]
    public void Show_table_matches_the_golden_file()
    {
        using var dir = new TempDir();
        var output = new StringWriter();
        var context = new CliContext(output, TextWriter.Null, () => Stream.Null, _ => null, Interactive: false);
        SummaryTables.Write(context.Terminal, Summary(dir));
        Golden.AssertMatches("show.txt", output.ToString());
    }

    [Fact]
    public void Show_json_matches_the_golden_file()
    {
        using var dir = new TempDir();
        Golden.AssertMatches("show.json", SummaryJson.Serialize(Summary(dir)) + "\n");
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
