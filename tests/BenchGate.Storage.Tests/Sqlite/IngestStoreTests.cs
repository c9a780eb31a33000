using System.Text;
using BenchGate.Ingest;
using BenchGate.Storage.Sqlite;
using BenchGate.Tests.Shared;
using static BenchGate.Storage.Tests.Sqlite.StoreTestKit;

namespace BenchGate.Storage.Tests.Sqlite;

public sealed class IngestStoreTests
{
    [Fact]
    public void Every_llama_bench_fixture_lands_in_one_database()
    {
        using var dir = new TempDir();
        var db = dir.File("all.sqlite");
        var files = Directory.GetFiles(Fixtures.Path("llama-bench"), "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/help/", StringComparison.Ordinal) && !f.EndsWith(".log", StringComparison.Ordinal) && !f.EndsWith("missing_model.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToArray();
        Assert.True(files.Length >= 30);
        var outcomes = IngestFiles(db, files);
        Assert.All(outcomes, o => Assert.False(o.Skipped, o.Source));
        var rows = outcomes.Sum(o => o.Rows);
        Assert.Equal(rows, Count(db, "SELECT COUNT(*) FROM llama_bench"));
        Assert.Equal(rows, Count(db, "SELECT COUNT(*) FROM benchgate_rows"));
        Assert.Equal(2, Count(db, "SELECT COUNT(DISTINCT build_number) FROM llama_bench WHERE build_number IN (3099, 10587)"));
    }

    [Fact]
    public void Sqlite_and_jsonl_of_the_same_runs_store_the_same_measurements()
    {
        using var dir = new TempDir();
        var a = dir.File("a.sqlite");
        var b = dir.File("b.sqlite");
        IngestFiles(a, Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"));
        IngestFiles(b, Fixtures.Path("llama-bench/aa-cpu-small/aa.sqlite"));
        const string Query = "SELECT run_seq, test, avg_ns, avg_ts, stddev_ts, test_time, key_hash FROM benchgate_rows ORDER BY result_id";
        Assert.Equal(Rows(a, Query), Rows(b, Query));
        Assert.Equal(10, Count(b, "SELECT COUNT(*) FROM benchgate_runs"));
        // jsonl keeps samples and recomputes stddev_ns; the database has llama-bench's integer value.
        Assert.Equal(20, Count(a, "SELECT COUNT(*) FROM benchgate_results WHERE repetitions = 5 AND samples_ns IS NOT NULL"));
        const string Stddev = "SELECT stddev_ns FROM benchgate_rows ORDER BY result_id";
        var differences = Rows(a, Stddev).Zip(Rows(b, Stddev), (x, y) => Math.Abs((long)x[0]! - (long)y[0]!)).ToList();
        Assert.InRange(differences.Max(), 1, 200);
    }

    [Fact]
    public void Samples_are_stored_exactly_and_read_back_by_detect_unchanged()
    {
        using var dir = new TempDir();
        var db = dir.File("samples.sqlite");
        IngestFiles(db, Fixtures.Path("llama-bench/formats/small_p64_n16_r3.jsonl"));
        Assert.Equal(["[1114679,1052266,1069311]", "[57415.6,60821.1,59851.6]"], Rows(db, "SELECT samples_ns, samples_ts FROM benchgate_results ORDER BY result_id")[0]);

        var side = SqliteStoredRuns.TryRead(db, null);
        Assert.NotNull(side);
        var records = side!.Runs.Single().Records;
        Assert.Equal([1114679L, 1052266L, 1069311L], records[0].SamplesNs!);
        Assert.Equal([57415.6, 60821.1, 59851.6], records[0].SamplesTs!);

        // The stored key and measurements are those ingest computed from the file.
        using var stream = File.OpenRead(Fixtures.Path("llama-bench/formats/small_p64_n16_r3.jsonl"));
        var original = TextFormatReaders.Open(InputFormat.Jsonl, stream).Select(RecordNormalizer.Normalize).ToList();
        Assert.Equal(original.Select(r => r.Key.Hash), records.Select(r => r.Key.Hash));
        Assert.Equal(original.Select(r => (r.AvgTs, r.AvgNs, r.Get("model_size"))), records.Select(r => (r.AvgTs, r.AvgNs, r.Get("model_size"))));
    }

    [Fact]
    public void The_2024_and_2026_schemas_meet_in_one_database()
    {
        using var dir = new TempDir();
        var db = dir.File("mixed.sqlite");
        IngestFiles(db, Fixtures.Path("llama-bench/old-2024/small_p64_n16_r3.json"), Fixtures.Path("llama-bench/formats/small_p64_n16_r3.jsonl"));
        var rows = Rows(db, "SELECT build_number, backends, load_mode, flash_attn, n_gpu_layers, n_depth FROM llama_bench ORDER BY rowid");
        Assert.Equal([3099L, "CPU", "mmap", 0L, 99L, null], rows[0]);
        Assert.Equal([10587L, "CPU", "auto", -1L, -1L, 0L], rows[2]);
        var extras = (string)Rows(db, "SELECT extra_fields FROM benchgate_results ORDER BY result_id")[0][0]!;
        Assert.Contains("\"use_mmap\":true", extras, StringComparison.Ordinal);
    }

    public static TheoryData<string, Func<string, string>> Corruptions => new()
    {
        { "truncated json", t => t[..(t.Length / 2)] },
        { "lone bracket", _ => "[\n" },
        { "wrong type", t => t.Replace("\"n_threads\": 2", "\"n_threads\": \"two\"", StringComparison.Ordinal) },
        { "zero time", t => t.Replace("\"avg_ns\": ", "\"avg_ns\": 0, \"x\": ", StringComparison.Ordinal) },
        { "flipped brace", t => FlipFirst(t, '}', 'x', 3) },
        { "flipped quote", t => FlipFirst(t, '"', '\'', 40) },
        { "flipped colon", t => FlipFirst(t, ':', ';', 25) },
        { "negative rate", t => t.Replace("\"avg_ts\": ", "\"avg_ts\": -", StringComparison.Ordinal) },
    };

    private static string FlipFirst(string text, char what, char with, int nth)
    {
        var index = -1;
        for (var i = 0; i < nth; i++)
        {
            index = text.IndexOf(what, index + 1);
        }

        return text[..index] + with + text[(index + 1)..];
    }

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void A_corrupted_input_leaves_the_database_byte_identical(string name, Func<string, string> corrupt)
    {
        using var dir = new TempDir();
        var db = dir.File("results.sqlite");
        IngestFiles(db, Fixtures.Path("llama-bench/commits/commits_lm_mmap.jsonl"));
        var before = Sha(db);
        var bad = dir.File("bad.json");
        File.WriteAllText(bad, corrupt(Fixtures.Text("llama-bench/formats/small_multi.json")));
        var good = dir.Copy("llama-bench/formats/small_multi.jsonl");

        // A good file before the bad one must be rolled back too: one transaction per command.
        var e = Assert.Throws<InputException>(() => IngestFiles(db, good, bad));
        Assert.StartsWith(bad, e.Message, StringComparison.Ordinal);
        Assert.Matches(@"line \d+", e.Message);
        Assert.Equal(before, Sha(db));
        Assert.False(File.Exists(db + "-journal"), name);
    }

    [Fact]
    public void A_failed_first_ingest_leaves_no_database_behind()
    {
        using var dir = new TempDir();
        var db = dir.File("new.sqlite");
        var bad = dir.File("bad.json");
        File.WriteAllText(bad, "[\n");
        using (var store = SqliteResultStore.Open(db))
        {
            Assert.Throws<InputException>(() =>
            {
                using var tx = store.BeginIngest();
                new Ingestor(tx, new SqliteDatabaseFileReader()).IngestFile(bad, new IngestOptions());
            });
            store.DiscardIfCreated();
        }

        Assert.False(File.Exists(db));
    }

    [Fact]
    public void The_same_content_twice_is_skipped_unless_duplicates_are_allowed()
    {
        using var dir = new TempDir();
        var db = dir.File("dup.sqlite");
        var file = Fixtures.Path("llama-bench/formats/small_multi.jsonl");
        var first = IngestFiles(db, file).Single();
        var copy = dir.Copy("llama-bench/formats/small_multi.jsonl");
        var second = IngestFiles(db, copy).Single();
        Assert.True(second.Skipped);
        Assert.Contains(first.RunIds[0], second.SkippedBecause, StringComparison.Ordinal);
        Assert.Equal(16, Count(db, "SELECT COUNT(*) FROM llama_bench"));

        var third = IngestFiles(db, new IngestOptions(AllowDuplicates: true), file).Single();
        Assert.False(third.Skipped);
        Assert.Equal(32, Count(db, "SELECT COUNT(*) FROM llama_bench"));
    }

    [Fact]
    public void Run_ids_commit_branch_and_machine_are_recorded_per_run()
    {
        using var dir = new TempDir();
        var db = dir.File("runs.sqlite");
        var options = new IngestOptions(Commit: "deadbeef", Branch: "master", Machine: "ci-cpu-1", RunId: "aa");
        var outcome = IngestFiles(db, options, Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl")).Single();
        Assert.Equal(["aa", "aa.2", "aa.3", "aa.4", "aa.5", "aa.6", "aa.7", "aa.8", "aa.9", "aa.10"], outcome.RunIds);
        Assert.All(Rows(db, "SELECT commit_sha, branch, machine, row_count, build_commit FROM benchgate_runs"),
            r => Assert.Equal(["deadbeef", "master", "ci-cpu-1", 2L, "3f545becc"], r));
        var e = Assert.Throws<InputException>(() => IngestFiles(db, options with { AllowDuplicates = true }, Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl")));
        Assert.Contains("run id 'aa' exists already", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_llama_bench_piped_into_the_database_are_adopted_at_the_next_ingest()
    {
        using var dir = new TempDir();
        var db = dir.File("manual.sqlite");
        IngestFiles(db, Fixtures.Path("llama-bench/formats/small_multi.jsonl"));
        Assert.Equal(0, Sqlite3(db, Fixtures.Text("llama-bench/formats/small_oe.stdout.sql")).ExitCode);
        Assert.Equal(1, Count(db, "SELECT COUNT(DISTINCT rowid) FROM llama_bench WHERE benchgate_result_id IS NULL") > 0 ? 1 : 0);
        IngestFiles(db, Fixtures.Path("llama-bench/formats/two_models.json"));
        Assert.Equal(0, Count(db, "SELECT COUNT(*) FROM llama_bench WHERE benchgate_result_id IS NULL"));
        Assert.Equal(22, Count(db, "SELECT COUNT(*) FROM llama_bench"));
        Assert.Equal(3, Count(db, "SELECT COUNT(*) FROM benchgate_runs"));
    }

    [Fact]
    public void A_locked_database_gives_a_clear_error()
    {
        using var dir = new TempDir();
        var db = dir.File("locked.sqlite");
        IngestFiles(db, Fixtures.Path("llama-bench/formats/small_multi.jsonl"));
        using var holder = Open(db);
        using (var cmd = holder.CreateCommand())
        {
            cmd.CommandText = "BEGIN EXCLUSIVE";
            cmd.ExecuteNonQuery();
        }

        var e = Assert.Throws<StoreException>(() =>
        {
            using var store = SqliteResultStore.Open(db, busyTimeout: TimeSpan.FromMilliseconds(200));
            using var tx = store.BeginIngest();
        });
        Assert.Contains("locked", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_database_gives_a_clear_error()
    {
        using var dir = new TempDir();
        var db = dir.File("notes.sqlite");
        File.WriteAllText(db, new string('x', 4096), Encoding.ASCII);
        var e = Assert.Throws<StoreException>(() => SqliteResultStore.Open(db));
        Assert.Contains("not a SQLite database", e.Message, StringComparison.Ordinal);
        Assert.Equal(new string('x', 4096), File.ReadAllText(db));
    }
}
