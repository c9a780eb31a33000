using BenchGate.Storage.Sqlite;
using BenchGate.Tests.Shared;
using static BenchGate.Storage.Tests.Sqlite.StoreTestKit;

namespace BenchGate.Storage.Tests.Sqlite;

public sealed class MigrationTests
{
    private static readonly string[] SpecObjects =
    [
        "table performance_baselines", "table performance_history", "table regression_alerts", "table memory_leak_logs",
        "view latest_baselines", "view regression_summary", "view memory_leak_summary", "table llama_bench", "table benchgate_schema_version",
    ];

    private static MigrationReport Migrate(string db)
    {
        using var store = SqliteResultStore.Open(db);
        return store.Migrate();
    }

    [Fact]
    public void Migrating_an_empty_file_creates_the_spec_tables_and_views()
    {
        using var dir = new TempDir();
        var db = dir.File("empty.sqlite");
        var report = Migrate(db);
        Assert.Equal(0, report.VersionBefore);
        Assert.Equal(9, report.VersionAfter);
        var schema = Schema(db);
        foreach (var obj in SpecObjects)
        {
            Assert.Contains(schema, s => s.StartsWith(obj + ":", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Migrating_twice_is_migrating_once()
    {
        using var dir = new TempDir();
        var db = dir.Copy("llama-bench/aa-cpu-small/aa.sqlite");
        Migrate(db);
        var schema = Schema(db);
        var rows = Count(db, "SELECT COUNT(*) FROM benchgate_results");
        var sha = Sha(db);

        var second = Migrate(db);
        Assert.Empty(second.Applied);
        Assert.Empty(second.AddedColumns);
        Assert.Equal(0, second.AdoptedRows);
        Assert.Equal(schema, Schema(db));
        Assert.Equal(rows, Count(db, "SELECT COUNT(*) FROM benchgate_results"));
        Assert.Equal(sha, Sha(db));
    }

    [Fact]
    public void Print_sql_through_sqlite3_gives_the_schema_migrate_gives_on_an_empty_database()
    {
        using var dir = new TempDir();
        var viaSqlite3 = dir.File("cli.sqlite");
        var (code, output) = Sqlite3(viaSqlite3, SqliteResultStore.EmptyDatabaseMigrationScript());
        Assert.True(code == 0, output);
        var viaMigrate = dir.File("migrate.sqlite");
        Migrate(viaMigrate);
        Assert.Equal(Schema(viaMigrate), Schema(viaSqlite3));
        Assert.Equal(Rows(viaMigrate, "SELECT version, description FROM benchgate_schema_version").Select(r => $"{r[0]} {r[1]}"),
            Rows(viaSqlite3, "SELECT version, description FROM benchgate_schema_version").Select(r => $"{r[0]} {r[1]}"));

        // Applying the script again changes nothing: every statement is guarded.
        Assert.Equal(0, Sqlite3(viaSqlite3, SqliteResultStore.EmptyDatabaseMigrationScript()).ExitCode);
        Assert.Equal(Schema(viaMigrate), Schema(viaSqlite3));
    }

    [Fact]
    public void Print_sql_for_a_database_llama_bench_made_matches_migrate_on_it()
    {
        using var dir = new TempDir();
        var forCli = dir.Copy("llama-bench/aa-cpu-small/aa.sqlite");
        string script;
        using (var store = SqliteResultStore.Open(forCli, create: false))
        {
            script = store.MigrationScript();
        }

        Assert.Contains("ALTER TABLE llama_bench ADD COLUMN benchgate_result_id INTEGER;", script, StringComparison.Ordinal);
        Assert.Equal(0, Sqlite3(forCli, script).ExitCode);
        var migrated = dir.File("m.sqlite");
        File.Copy(Fixtures.Path("llama-bench/aa-cpu-small/aa.sqlite"), migrated);
        Migrate(migrated);
        Assert.Equal(Schema(migrated), Schema(forCli));
    }

    [Fact]
    public void A_database_llama_bench_made_keeps_its_rows_and_they_become_runs()
    {
        using var dir = new TempDir();
        var db = dir.Copy("llama-bench/aa-cpu-small/aa.sqlite");
        var report = Migrate(db);
        Assert.Equal(20, report.AdoptedRows);
        Assert.Equal(10, report.AdoptedRuns);
        Assert.Equal(20, Count(db, "SELECT COUNT(*) FROM llama_bench"));
        Assert.Equal(0, Count(db, "SELECT COUNT(*) FROM llama_bench WHERE benchgate_result_id IS NULL"));
        Assert.Equal(10, Count(db, "SELECT COUNT(*) FROM benchgate_runs"));
        Assert.Equal(2, Count(db, "SELECT COUNT(*) FROM benchmark_keys"));
    }

    [Fact]
    public void Rows_a_script_piped_in_benchmark_by_benchmark_are_adopted_as_runs_by_repetition()
    {
        using var dir = new TempDir();
        var db = dir.Copy("llama-bench/aa-cpu-small/aa.sqlite");
        // The same 20 rows, all of one benchmark's 10 repetitions before the other's.
        TestDb.Execute(db, """
            CREATE TABLE reordered AS SELECT * FROM llama_bench ORDER BY n_gen, rowid;
            DELETE FROM llama_bench;
            INSERT INTO llama_bench SELECT * FROM reordered ORDER BY n_gen;
            DROP TABLE reordered;
            """);

        var report = Migrate(db);

        Assert.Equal(20, report.AdoptedRows);
        Assert.Equal(10, report.AdoptedRuns);
        Assert.Equal(10, Count(db, "SELECT COUNT(*) FROM benchgate_runs WHERE row_count = 2"));
        Assert.Equal(0, Count(db, "SELECT COUNT(*) FROM llama_bench WHERE benchgate_result_id IS NULL"));
        // Run k holds the k-th row of each benchmark.
        Assert.Equal(0, Count(db, """
            SELECT COUNT(*) FROM benchgate_results r JOIN benchgate_runs ru ON ru.run_seq = r.run_seq JOIN llama_bench l ON l.benchgate_result_id = r.result_id
            WHERE ru.index_in_source <> (SELECT COUNT(*) FROM llama_bench o WHERE o.n_gen = l.n_gen AND o.rowid <= l.rowid)
            """));
        // Regrouping selects a source's runs by source_id, in order, several times: through an index, not every run of the store.
        var plan = string.Join("\n", Rows(db, "EXPLAIN QUERY PLAN SELECT run_id FROM benchgate_runs WHERE source_id = 1 ORDER BY index_in_source").Select(r => r[^1]));
        Assert.Contains("USING INDEX benchgate_runs_source", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
    }

    [Fact]
    public void A_2024_database_with_table_test_is_migrated_and_its_rows_normalised_into_llama_bench()
    {
        using var dir = new TempDir();
        var db = dir.Copy("llama-bench/old-2024/old.sqlite");
        var report = Migrate(db);
        Assert.Equal(12, report.AdoptedRows);
        Assert.Equal(3, report.AdoptedRuns);
        Assert.Equal(12, Count(db, "SELECT COUNT(*) FROM test"));
        var rows = Rows(db, "SELECT backends, load_mode, flash_attn, n_depth FROM llama_bench");
        Assert.Equal(12, rows.Count);
        Assert.All(rows, r => Assert.Equal(["CPU", "mmap", 0L, null], r));
        Assert.Equal(0, Migrate(db).AdoptedRows);
    }

    [Fact]
    public void An_older_llama_bench_table_gets_the_columns_newer_llama_bench_writes()
    {
        using var dir = new TempDir();
        var db = dir.File("prev.sqlite");
        // The 41 columns of 2026-04-06 … 2026-07-22: use_mmap and use_direct_io, no load_mode.
        var prev = "CREATE TABLE llama_bench (build_commit TEXT, build_number INTEGER, cpu_info TEXT, gpu_info TEXT, backends TEXT, model_filename TEXT, model_type TEXT, model_size INTEGER, model_n_params INTEGER, n_batch INTEGER, n_ubatch INTEGER, n_threads INTEGER, cpu_mask TEXT, cpu_strict INTEGER, poll INTEGER, type_k TEXT, type_v TEXT, n_gpu_layers INTEGER, n_cpu_moe INTEGER, split_mode TEXT, main_gpu INTEGER, no_kv_offload INTEGER, flash_attn INTEGER, devices TEXT, tensor_split TEXT, tensor_buft_overrides TEXT, use_mmap INTEGER, use_direct_io INTEGER, embeddings INTEGER, no_op_offload INTEGER, no_host INTEGER, fit_target INTEGER, fit_min_ctx INTEGER, n_prompt INTEGER, n_gen INTEGER, n_depth INTEGER, test_time TEXT, avg_ns INTEGER, stddev_ns INTEGER, avg_ts REAL, stddev_ts REAL);\n"
            + "INSERT INTO llama_bench VALUES ('876a4321', 10216, 'AMD EPYC', '', 'CPU', 'm.gguf', 'llama ?B all F32', 4919040, 1229760, 2048, 512, 2, '0x0', 0, 50, 'f16', 'f16', -1, 0, 'layer', 0, 0, -1, 'auto', '0.00', 'none', 0, 0, 0, 0, 0, 0, 0, 64, 0, 0, '2026-07-31T10:00:00Z', 1000000, 1000, 64000.0, 60.0);\n";
        Assert.Equal(0, Sqlite3(db, prev).ExitCode);

        // The trap the docs describe: a newer llama-bench's SQL fails against this table.
        var headSql = Fixtures.Text("llama-bench/formats/small_p64_n16_r3.sql");
        Assert.NotEqual(0, Sqlite3(db, headSql).ExitCode);

        var report = Migrate(db);
        Assert.Contains("llama_bench.load_mode", report.AddedColumns);
        Assert.Equal("none", Rows(db, "SELECT load_mode FROM llama_bench")[0][0]);
        var (code, output) = Sqlite3(db, headSql);
        Assert.True(code == 0, output);
        Assert.Equal(3, Count(db, "SELECT COUNT(*) FROM llama_bench"));
    }

    [Fact]
    public void A_database_from_a_newer_benchgate_is_refused()
    {
        using var dir = new TempDir();
        var db = dir.File("future.sqlite");
        Migrate(db);
        Sqlite3(db, "INSERT INTO benchgate_schema_version (version, description) VALUES (99, 'future');");
        var e = Assert.Throws<StoreException>(() => Migrate(db));
        Assert.Contains("newer BenchGate", e.Message);
    }
}
