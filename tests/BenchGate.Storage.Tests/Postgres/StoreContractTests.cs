using BenchGate.Detection;
using BenchGate.Ingest;
using BenchGate.Memory;
using BenchGate.Storage.Shared;
using BenchGate.Storage.Sqlite;
using BenchGate.Tests.Shared;

namespace BenchGate.Storage.Tests.Postgres;

/// <summary>The same behaviour from both backends: every test runs on a SQLite file and on a real PostgreSQL database.</summary>
public sealed class StoreContractTests(PostgresServer pg) : IDisposable
{
    private readonly TempDir _dir = new();

    // What detect reads back from either store (the SQLite store's fast path reads only these).
    private static readonly string[] DetectColumns = ["build_commit", "build_number", "model_size", "avg_ns", "stddev_ns", "avg_ts", "stddev_ts"];

    private Backends B => new(pg, _dir);

    /// <summary>A new store of the backend holding ab-cpu-long's fast runs as commit "fast", then its slow ones as "slow".</summary>
    private string FastAndSlow(string backend)
    {
        var db = B.NewLocation(backend);
        Backends.Ingest(db, new IngestOptions(Commit: "fast"), Fixtures.Path("llama-bench/ab-cpu-long/ab_long_fast.jsonl"));
        Backends.Ingest(db, new IngestOptions(Commit: "slow"), Fixtures.Path("llama-bench/ab-cpu-long/ab_long_slow.jsonl"));
        return db;
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public void A_commit_that_is_not_stored_is_refused_naming_those_that_are(string backend)
    {
        var db = FastAndSlow(backend);

        var e = Assert.Throws<InputException>(() => StoredSides.Load(db, "deadbeef"));
        Assert.Contains("no runs of commit 'deadbeef' (it holds: fast, slow)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public void Stored_runs_read_back_as_the_records_of_the_file(string backend)
    {
        var db = B.NewLocation(backend);
        var file = Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl");
        var outcome = Backends.Ingest(db, new IngestOptions(Commit: "abc123", Branch: "master", Machine: "runner-1"), file).Single();

        var stored = StoredSides.Load(db, null);
        var direct = InputFiles.LoadSide(file, null);
        Assert.Equal(outcome.RunIds, stored.Runs.Select(r => r.RunId));
        Assert.All(stored.Runs, r => Assert.Equal("abc123", r.Commit));
        var expected = direct.Runs.SelectMany(r => r.Records).ToList();
        var actual = stored.Runs.SelectMany(r => r.Records).ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Key, actual[i].Key);
            Assert.Equal(expected[i].SamplesNs, actual[i].SamplesNs);
            Assert.Equal(expected[i].SamplesTs, actual[i].SamplesTs);
            foreach (var column in DetectColumns)
            {
                Assert.Equal(expected[i].Get(column), actual[i].Get(column));
            }
        }

        Assert.Equal(20, B.Count(db, "SELECT COUNT(*) FROM llama_bench"));
        Assert.Equal(10, B.Count(db, "SELECT COUNT(*) FROM benchgate_runs WHERE branch = 'master' AND machine = 'runner-1'"));
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public void Rows_stored_configuration_by_configuration_are_grouped_into_runs_by_repetition_not_a_run_a_row(string backend)
    {
        // aa.jsonl's 10 runs of 2 benchmarks, written benchmark by benchmark: streamed, a repeated benchmark starts a run
        // (19 runs); grouped by repetition, the k-th row of each benchmark is run k (10), as compare groups the file.
        var lines = File.ReadAllLines(Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl")).Where(l => l.Length > 0).ToList();
        var byBenchmark = lines.Where(l => l.Contains("\"n_gen\": 0,", StringComparison.Ordinal))
            .Concat(lines.Where(l => !l.Contains("\"n_gen\": 0,", StringComparison.Ordinal))).ToList();
        Assert.Equal(10, byBenchmark.Take(10).Distinct().Count());
        var file = _dir.File("by-benchmark.jsonl");
        File.WriteAllLines(file, byBenchmark);
        var db = B.NewLocation(backend);

        var outcome = Backends.Ingest(db, new IngestOptions(Commit: "abc123", Branch: "master", Machine: "runner-1", RunId: "aa", PairId: "pair-1"), file).Single();

        Assert.Equal(["aa", .. Enumerable.Range(2, 9).Select(i => $"aa.{i}")], outcome.RunIds);
        Assert.Contains(outcome.Notes, n => n.Contains("19 runs grouped by repetition into 10", StringComparison.Ordinal));
        var stored = StoredSides.Load(db, null);
        var direct = InputFiles.LoadSide(file, null);
        Assert.Equal(10, direct.Runs.Count);
        Assert.Equal(outcome.RunIds, stored.Runs.Select(r => r.RunId));
        for (var run = 0; run < 10; run++)
        {
            Assert.Equal(direct.Runs[run].Records.Select(r => (r.Key, r.SamplesNs)), stored.Runs[run].Records.Select(r => (r.Key, r.SamplesNs)));
            Assert.All(stored.Runs[run].Records, r => Assert.Equal(direct.Runs[run].Records.Single(d => d.Key.Equals(r.Key)).Get("avg_ts"), r.Get("avg_ts")));
        }

        Assert.Equal(10, B.Count(db, "SELECT COUNT(*) FROM benchgate_runs WHERE row_count = 2 AND commit_sha = 'abc123' AND branch = 'master' AND machine = 'runner-1'"));
        Assert.Equal(10, B.Count(db, "SELECT COUNT(*) FROM benchgate_runs WHERE index_in_source BETWEEN 1 AND 10"));
        Assert.Equal(10, B.Count(db, "SELECT COUNT(*) FROM benchgate_run_pairs WHERE pair_id = 'pair-1'"));
        Assert.Equal(20, B.Count(db, "SELECT COUNT(*) FROM benchgate_results r JOIN benchgate_runs ru ON ru.run_seq = r.run_seq WHERE r.seq IN (1, 2)"));
        Assert.Equal(20, B.Count(db, "SELECT COUNT(*) FROM llama_bench l JOIN benchgate_results r ON r.result_id = l.benchgate_result_id"));

        // The same file again is a duplicate: its regroup (done before the duplicate check, which on PostgreSQL holds a
        // lock until commit) is rolled back with it, and a source after it in the same ingest is stored after the first.
        var again = Backends.Ingest(db, new IngestOptions(Commit: "abc123"), file, Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"));
        Assert.Empty(again[0].RunIds);
        Assert.Contains("already ingested", again[0].SkippedBecause, StringComparison.Ordinal);
        Assert.DoesNotContain(again[0].Notes, n => n.Contains("grouped by repetition", StringComparison.Ordinal));
        Assert.Equal(10, again[1].RunIds.Count);
        Assert.Equal(20, B.Count(db, "SELECT COUNT(*) FROM benchgate_runs"));
        Assert.Equal(40, B.Count(db, "SELECT COUNT(*) FROM llama_bench l JOIN benchgate_results r ON r.result_id = l.benchgate_result_id"));
        Assert.Equal(outcome.RunIds.Concat(again[1].RunIds), StoredSides.Load(db, null).Runs.Select(r => r.RunId));

        // Whole runs appended keep the runs they were written in, and the store, asked (as ingest asks when a source is
        // too long to count its repetitions while streaming), leaves them as they are.
        var appendedDb = B.NewLocation(backend, "appended");
        var appended = Backends.Ingest(appendedDb, null, Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl")).Single();
        Assert.Equal(10, appended.RunIds.Count);
        Assert.DoesNotContain(appended.Notes, n => n.Contains("grouped by repetition", StringComparison.Ordinal));
        using (var store = ResultStores.Open(appendedDb))
        using (var tx = store.BeginIngest())
        {
            var sourceId = B.Count(appendedDb, "SELECT MIN(source_id) FROM benchgate_runs");
            Assert.Same(appended.RunIds, tx.RegroupRuns(sourceId, appended.RunIds));
        }

        Assert.Equal(10, B.Count(appendedDb, "SELECT COUNT(*) FROM benchgate_runs"));
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public void Two_builds_alternating_row_by_row_become_each_builds_runs_in_the_order_they_open_and_a_later_source_stays_after_them(string backend)
    {
        // aa.jsonl's 20 rows and the same rows of a second build, alternating row by row: streamed, every row is a run
        // (40); by repetition, each build has 10 runs of its 2 benchmarks (20), opened alternately.
        var lines = File.ReadAllLines(Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl")).Where(l => l.Length > 0).ToList();
        Assert.All(lines, l => Assert.Contains("\"build_commit\": \"3f545becc\"", l, StringComparison.Ordinal));
        var alternating = lines.SelectMany(l => new[] { l, l.Replace("\"build_commit\": \"3f545becc\"", "\"build_commit\": \"b0000000b\"", StringComparison.Ordinal) });
        var file = _dir.File("alternating.jsonl");
        File.WriteAllLines(file, alternating);
        var db = B.NewLocation(backend);

        // One transaction: the alternating file, then aa.jsonl itself (appended runs, left as they are).
        var outcomes = Backends.Ingest(db, null, file, Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"));

        Assert.Equal(20, outcomes[0].RunIds.Count);
        Assert.Equal(10, outcomes[1].RunIds.Count);
        var stored = StoredSides.Load(db, null).Runs.Take(20).ToList();
        Assert.Equal(outcomes[0].RunIds, stored.Select(r => r.RunId));
        // Each run takes its commit from its first row (no --commit): A, B, A, B…; each holds one build's 2 benchmarks.
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? "3f545becc" : "b0000000b"), stored.Select(r => r.Commit));
        Assert.All(stored, r => Assert.Equal(2, r.Records.Select(x => x.Key).Distinct().Count()));
        Assert.All(stored, r => Assert.All(r.Records, x => Assert.Equal(r.Commit, x.BuildCommit)));
        // Runs are numbered in ingest order on both stores: the later source's runs come after the regrouped ones.
        Assert.Equal(0, B.Count(db, """
            SELECT COUNT(*) FROM benchgate_runs a JOIN benchgate_runs b ON a.run_seq < b.run_seq
            WHERE a.source_id > b.source_id OR (a.source_id = b.source_id AND a.index_in_source > b.index_in_source)
            """));
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public void A_failed_ingest_stores_nothing_and_keeps_what_was_there(string backend)
    {
        var db = B.NewLocation(backend);
        Backends.Ingest(db, null, Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"));
        var truncated = _dir.File("truncated.json");
        var json = Fixtures.Text("llama-bench/formats/small_multi.json");
        File.WriteAllText(truncated, json[..(json.Length / 2)]);

        var error = Assert.Throws<InputException>(() => Backends.Ingest(db, null, Fixtures.Path("llama-bench/ab-cpu-long/ab_long_fast.jsonl"), truncated));
        Assert.Contains("truncated.json", error.Message, StringComparison.Ordinal);
        Assert.Equal(20, B.Count(db, "SELECT COUNT(*) FROM llama_bench"));
        Assert.Equal(10, B.Count(db, "SELECT COUNT(*) FROM benchgate_runs"));
        Assert.Equal(1, B.Count(db, "SELECT COUNT(*) FROM benchgate_sources"));
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public void Migrating_twice_is_migrating_once_and_show_summarises_alike(string backend)
    {
        var db = B.NewLocation(backend);
        using (var store = ResultStores.Open(db))
        {
            var first = store.Migrate();
            Assert.Equal(0, first.VersionBefore);
            Assert.Equal(Schema.LatestVersion, first.VersionAfter);
            Assert.Equal(Schema.LatestVersion, first.Applied.Count);
            Assert.Empty(store.Migrate().Applied);
        }

        Backends.Ingest(db, new IngestOptions(Commit: "c1"), Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"));
        using var again = ResultStores.Open(db);
        var summary = again.Summarize();
        Assert.Equal(20, summary.Rows);
        Assert.Equal(["c1"], summary.Commits.Select(c => c.Commit));
        Assert.Equal(2, summary.Configurations.Count);
        Assert.All(summary.Configurations, c => Assert.True(c.HasSamples));
        Assert.Equal(10, summary.Runs.Count);
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public void Baselines_keep_their_runs_activate_one_per_branch_and_export_to_a_file(string backend)
    {
        var db = B.NewLocation(backend);
        Backends.Ingest(db, new IngestOptions(Commit: "aaaa1111"), Fixtures.Path("llama-bench/ab-cpu-long/ab_long_fast.jsonl"));
        using (var store = ResultStores.Open(db))
        {
            var baselines = new BaselineStore(store);
            var saved = baselines.Save("v1", "aaaa1111", null, "master", null, "first");
            Assert.Equal(10, saved.Rows);
            Assert.True(saved.IsActive);
            baselines.Save("v2", "aaaa1111", null, "master", null, null);
            Assert.Equal(["v2"], baselines.List().Where(b => b.IsActive).Select(b => b.Name));
            Assert.True(baselines.Activate("v1").IsActive);
            Assert.False(baselines.Find("v2")!.IsActive);
            var exists = Assert.Throws<StoreException>(() => baselines.Save("v1", "aaaa1111", null, null, null, null));
            Assert.Contains("exists already", exists.Message, StringComparison.Ordinal);
            baselines.Export("v1", _dir.File("v1.sqlite"));
        }

        // Later ingests of the same commit never change a saved baseline.
        Backends.Ingest(db, new IngestOptions(Commit: "aaaa1111"), Fixtures.Path("llama-bench/ab-cpu-long/ab_long_slow.jsonl"));
        Assert.Equal(5, SavedBaselines.Find(db, "v1").RunIds.Count);
        var exported = _dir.File("v1.sqlite");
        Assert.Equal(10, TestDb.Count(exported, "SELECT COUNT(*) FROM llama_bench"));
        Assert.Equal(1, TestDb.Count(exported, "SELECT COUNT(*) FROM performance_baselines WHERE baseline_name = 'v1' AND is_active = 1"));
        Assert.Equal(5, StoredSides.Load(exported, null).Runs.Count);
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public void Detect_records_history_once_per_run_and_alerts_that_can_be_marked(string backend)
    {
        var db = FastAndSlow(backend);
        var baseline = StoredSides.Load(db, "fast");
        var current = StoredSides.Load(db, "slow");
        using var store = ResultStores.Open(db);
        var detection = StoredSides.DetectionStore(store);
        var report = new Detector(new DetectionSettings(Thresholds.Uniform(5)), detection).Compare(baseline, current, DateTimeOffset.UtcNow);
        var alerts = detection.Record(report, current, "fast", "slow", "master", "runner");
        var again = detection.Record(report, current, "fast", "slow", "master", "runner");

        // One alert per regressed benchmark (avg_ts and avg_ns of one slowdown are one alert), and none the second time.
        Assert.Equal(report.Comparisons.Where(c => c.Verdict == Verdict.Regression).Select(c => c.Key).Distinct().Count(), alerts.Count);
        Assert.NotEmpty(alerts);
        Assert.Empty(again);
        Assert.Contains("also regressed: avg_ns", new AlertLog(store).Get(alerts[0])!.Notes, StringComparison.Ordinal);
        var perRun = B.Count(db, "SELECT COUNT(*) FROM performance_history");
        Assert.Equal(perRun, B.Count(db, "SELECT COUNT(*) FROM (SELECT DISTINCT run_id, key_hash, metric FROM performance_history) AS d"));
        Assert.True(perRun >= 5 * 2 * 2, $"expected every current run's values in performance_history, got {perRun}");

        var log = new AlertLog(store);
        var marked = log.Mark(alerts[0], "false_positive", "noisy runner", DateTimeOffset.UtcNow);
        Assert.Equal("false_positive", marked.Status);
        Assert.Equal("noisy runner", marked.Notes);
        Assert.Contains(marked.KeyHash, detection.FalsePositives("fast", "slow"));
        Assert.Equal(alerts.Count - 1, log.List("open").Count);
        Assert.Throws<StoreException>(() => log.Mark(999_999, "fixed", null, DateTimeOffset.UtcNow));
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public void A_baseline_saved_from_a_results_database_brings_its_runs_peak_memory(string backend)
    {
        var results = B.NewLocation(backend, "results");
        var runs = Backends.Ingest(results, new IngestOptions(Commit: "aaaa1111"), Fixtures.Path("llama-bench/ab-cpu-long/ab_long_fast.jsonl")).Single().RunIds;
        using (var store = ResultStores.Open(results))
        {
            var log = new MemoryLog(store);
            foreach (var (run, i) in runs.Select((r, i) => (r, i)))
            {
                log.Record([new MemoryFinding("llama-bench -m model.gguf", null, "rss", MemoryFindingKind.Ok, null, null, 400 + i, null, null, null, null, "peak"),
                    new MemoryFinding("llama-bench -m model.gguf", null, "gpu", MemoryFindingKind.Ok, null, null, 1024 + i, null, null, null, null, "peak")], "aaaa1111", run, DateTimeOffset.UtcNow);
            }
        }

        var baselineDb = B.NewLocation(backend, "baseline");
        using (var store = ResultStores.Open(baselineDb))
        {
            var saved = new BaselineStore(store).Save("master-aaaa1111", "aaaa1111", results, "master", "runner", null);
            // The copies have run ids of their own: the peaks are found under the commit, with the program's path left out.
            var peaks = MemoryLog.RunPeaks(store, saved.RunIds.ToHashSet(), new HashSet<string> { "aaaa1111" });
            Assert.Equal(2 * runs.Count, peaks.Count);
            Assert.All(peaks, p => Assert.Equal("-m model.gguf", p.Invocation));
            Assert.Equal(1024 + runs.Count - 1, peaks.Where(p => p.Kind == "gpu").Max(p => p.PeakMb));
            Assert.Empty(MemoryLog.RunPeaks(store, saved.RunIds.ToHashSet(), new HashSet<string>()));
        }
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public void Profiles_are_attached_to_an_existing_alert_and_read_back_in_order(string backend)
    {
        var db = FastAndSlow(backend);
        using var store = ResultStores.Open(db);
        var detection = StoredSides.DetectionStore(store);
        var current = StoredSides.Load(db, "slow");
        var report = new Detector(new DetectionSettings(Thresholds.Uniform(5)), detection).Compare(StoredSides.Load(db, "fast"), current, DateTimeOffset.UtcNow);
        var alert = detection.Record(report, current, "fast", "slow", "master", "runner")[0];

        var profiles = new ProfileLog(store);
        Assert.Empty(profiles.ForAlert(alert));
        var at = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        var first = profiles.Attach(alert, "old/llama-bench", "new/llama-bench", "-p 512", "vec_dot +75.0%", "## md 1", "{}", at);
        var second = profiles.Attach(alert, "old/llama-bench", "new/llama-bench", "-p 512", "vec_dot +74.0%", "## md 2", "{\"x\": 1}", at.AddHours(1));
        Assert.True(second > first);
        var read = profiles.ForAlert(alert);
        Assert.Equal(["## md 1", "## md 2"], read.Select(p => p.Markdown));
        Assert.Equal(("2026-12-02T11:00:00Z", "vec_dot +74.0%", "{\"x\": 1}", "-p 512"), (read[1].CreatedAt, read[1].Summary, read[1].Json, read[1].Args));
        Assert.Throws<StoreException>(() => profiles.Attach(999_999, "a", "b", "", "s", "m", "{}", at));
        Assert.Equal(2, B.Count(db, "SELECT COUNT(*) FROM benchgate_profiles"));
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public void The_memory_log_keeps_findings_and_gives_peaks_per_run(string backend)
    {
        var db = B.NewLocation(backend);
        using var store = ResultStores.Open(db);
        var log = new MemoryLog(store);
        MemoryFinding Peak(double mb) => new("llama-bench -m x", null, "rss", MemoryFindingKind.Ok, null, null, mb, null, null, null, null, "peak");
        log.Record([Peak(100)], "abcdef12", "run-1", DateTimeOffset.UtcNow);
        log.Record([Peak(120), Peak(130)], "abcdef12", "run-2", DateTimeOffset.UtcNow);
        log.Record([new MemoryFinding("t", "test-x", "valgrind", MemoryFindingKind.Leak, null, null, null, double.NaN, 4096, 2, null, "leak")], "abcdef12", null, DateTimeOffset.UtcNow);

        Assert.Equal([100.0, 130], log.Peaks("llama-bench -m x", "abcdef").Order());
        Assert.Equal(1, B.Count(db, "SELECT COUNT(*) FROM memory_leak_logs WHERE kind = 'leak' AND leaked_mb IS NULL AND leaked_bytes = 4096"));
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public void The_same_file_ingested_by_eight_writers_at_once_is_stored_once(string backend)
    {
        var db = B.NewLocation(backend);
        Backends.Ingest(db, null, Fixtures.Path("llama-bench/formats/small_multi.jsonl"));
        var file = Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl");
        // Eight threads start together; each ingests in its own transaction on its own connection, as eight runners would.
        using var start = new Barrier(8);
        var outcomes = new IngestOutcome[8];
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var threads = Enumerable.Range(0, 8).Select(i => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                using var store = ResultStores.Open(db);
                using var tx = store.BeginIngest();
                outcomes[i] = new Ingestor(tx, new SqliteDatabaseFileReader()).IngestFile(file, new IngestOptions());
                tx.Commit();
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(errors);

        Assert.Single(outcomes, o => !o.Skipped);
        Assert.Equal(7, outcomes.Count(o => o.Skipped));
        Assert.Equal(1, B.Count(db, "SELECT COUNT(*) FROM benchgate_sources WHERE name LIKE '%aa.jsonl'"));
        Assert.Equal(10 + 1, B.Count(db, "SELECT COUNT(*) FROM benchgate_runs"));
    }

    [Fact]
    public void A_failed_postgres_ingest_leaves_no_benchmark_key_behind()
    {
        var db = B.NewLocation(Backends.Postgres);
        Backends.Ingest(db, null, Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"));
        var keys = B.Count(db, "SELECT COUNT(*) FROM benchmark_keys");
        var truncated = _dir.File("half.jsonl");
        var lines = File.ReadAllLines(Fixtures.Path("llama-bench/ab-cpu-long/ab_long_fast.jsonl"));
        File.WriteAllLines(truncated, [.. lines.Take(4), lines[4][..(lines[4].Length / 2)]]);
        Assert.Throws<InputException>(() => Backends.Ingest(db, null, truncated));
        Assert.Equal(keys, B.Count(db, "SELECT COUNT(*) FROM benchmark_keys"));
    }

    public void Dispose() => _dir.Dispose();
}
