using BenchGate.Storage.Sqlite;
using BenchGate.Tests.Shared;

namespace BenchGate.Storage.Tests.Sqlite;

/// <summary>compare's reading of a llama-bench database: only rows that can pair, whichever filter the pairing needs.</summary>
public sealed class CompareInputTests
{
    private const string Old = "876a43211";
    private const string New = "3f545becc";

    [Fact]
    public void Rows_that_pair_with_nothing_are_left_out_and_every_row_that_can_pair_is_read()
    {
        using var dir = new TempDir();
        // The new build also ran a test the old one did not (pp999): the only row without a partner.
        var db = Database(dir, $"""
            CREATE TEMP TABLE extra AS SELECT * FROM llama_bench WHERE build_commit = '{New}' LIMIT 1;
            UPDATE extra SET n_prompt = 999, n_gen = 0;
            INSERT INTO llama_bench SELECT * FROM extra;
            """);
        var input = new SqliteCompareInput(db);

        var newRows = input.Runs(New, [Old]).SelectMany(r => r.Records).ToList();
        var oldRows = input.Runs(Old, [New]).SelectMany(r => r.Records).ToList();
        var allNew = new SqliteCompareInput(db).Runs(New).SelectMany(r => r.Records).ToList();

        Assert.Equal(24, oldRows.Count);
        Assert.Equal(24, newRows.Count);
        Assert.DoesNotContain(newRows, r => r.Key["n_prompt"] == "999");
        Assert.Equal(25, allNew.Count);
        Assert.Contains(allNew, r => r.Key["n_prompt"] == "999");
        Assert.Equal(oldRows.Select(r => r.Key).ToHashSet(), newRows.Select(r => r.Key).ToHashSet());
    }

    [Fact]
    public void Values_are_read_exactly_as_stored_row_after_row()
    {
        using var dir = new TempDir();
        // Reals that 15 significant digits do not give back (n + 1/3; SQLite's JSON text of a real kept 15), a text that
        // changes from each row to the next in its column (the previous row's is reused only while it repeats), and NULLs
        // among integers.
        var db = Database(dir, $"""
            UPDATE llama_bench SET avg_ts = rowid + 1.0 / 3, cpu_info = CASE WHEN rowid % 2 = 0 THEN 'CPU A' ELSE 'CPU B' END
            WHERE build_commit = '{New}';
            UPDATE llama_bench SET n_depth = NULL WHERE build_commit = '{New}' AND rowid % 3 = 0;
            """);
        var stored = new Dictionary<long, string>();
        using (var c = TestDb.Open(db))
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT avg_ts, cpu_info FROM llama_bench WHERE build_commit = '{New}'";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                stored.Add(BitConverter.DoubleToInt64Bits(r.GetDouble(0)), r.GetString(1));
            }
        }

        var records = new SqliteCompareInput(db).Runs(New).SelectMany(r => r.Records).ToList();

        Assert.Equal(24, stored.Count);
        Assert.Equal(24, records.Count);
        Assert.Contains(records, r => r.AvgTs == 9 + (1.0 / 3));
        Assert.DoesNotContain(records, r => r.AvgTs == double.Parse(r.AvgTs.ToString("G15", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(records, r =>
        {
            Assert.True(stored.TryGetValue(BitConverter.DoubleToInt64Bits(r.AvgTs), out var cpu), $"avg_ts {r.AvgTs:R} is not a stored value");
            Assert.Equal(cpu, r.Key["cpu_info"]);
            Assert.Equal("0", r.Key["n_depth"]);
            Assert.Equal(New, r.BuildCommit);
        });
        Assert.Equal(2, records.Select(r => r.Key["cpu_info"]).Distinct().Count());
    }

    /// <summary>The two builds' llama-bench database, changed by <paramref name="sql"/>.</summary>
    private static string Database(TempDir dir, string sql)
    {
        var db = dir.Copy("llama-bench/commits/commits_lm_mmap.sqlite");
        TestDb.Execute(db, sql);
        return db;
    }
}
