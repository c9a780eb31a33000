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
        var db = dir.File("llama-bench.sqlite");
        File.Copy(Fixtures.Path("llama-bench/commits/commits_lm_mmap.sqlite"), db);
        // The new build also ran a test the old one did not (pp999): the only row without a partner.
        TestDb.Execute(db, $"""
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
}
