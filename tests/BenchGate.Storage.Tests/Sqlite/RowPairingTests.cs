using BenchGate.Storage.Sqlite;
using BenchGate.Tests.Shared;

namespace BenchGate.Storage.Tests.Sqlite;

/// <summary>compare's first step: which rows of the compared builds can pair, from one narrow scan.</summary>
public sealed class RowPairingTests
{
    [Theory]
    [InlineData(10L)]
    [InlineData(3_000_000_000L)]
    public void Rows_pair_when_their_coarse_key_occurs_in_another_build_whatever_the_rowids_and_signs(long firstRowId)
    {
        using var dir = new TempDir();
        var db = dir.File("pairs.sqlite");
        // Row ids beyond 2^31 take the three-column scan, smaller ones the packed one: both must agree.
        TestDb.Execute(db, $"""
            CREATE TABLE llama_bench (build_commit TEXT, n_prompt INTEGER, n_gen INTEGER, n_batch INTEGER, n_threads INTEGER, model_type TEXT, n_gpu_layers INTEGER, cpu_info TEXT, n_depth INTEGER);
            INSERT INTO llama_bench (rowid, build_commit, n_prompt, n_gen, n_batch, n_threads, model_type, n_gpu_layers, cpu_info, n_depth) VALUES
              ({firstRowId}, 'a', 512, 0, 2048, 4, 'llama 7B', -1, 'EPYC', 0),
              ({firstRowId + 1}, 'a', 0, 128, 2048, 4, 'llama 7B', -1, 'EPYC', 0),
              ({firstRowId + 2}, 'a', 0, 128, 2048, 8, 'llama 7B', 99, 'EPYC', 0),
              ({firstRowId + 3}, 'b', 512, 0, 2048, 4, 'llama 7B', -1, 'EPYC', 0),
              ({firstRowId + 4}, 'b', 0, 128, 2048, 4, 'llama 7B', -1, 'EPYC', 512),
              ({firstRowId + 5}, 'c', 0, 128, 2048, 8, 'llama 7B', 99, 'EPYC', 0),
              ({firstRowId + 6}, 'x', 512, 0, 2048, 4, 'llama 7B', -1, 'EPYC', 0),
              ({firstRowId + 7}, 'a', 0, 0, 0, 0, NULL, -1, NULL, 0),
              ({firstRowId + 8}, 'b', 0, 0, 0, 0, NULL, -1, NULL, 0);
            """);
        using var c = TestDb.Open(db);

        var pairs = SqliteRowPairing.Scan(c, "llama_bench", ["a", "b", "c"], ["n_batch", "n_threads", "model_type", "n_gpu_layers", "cpu_info"]);

        // pp512 pairs a with b; the 8-thread tg128 pairs a with c; b's tg128 at depth 512 and build x pair with nothing;
        // the last two rows (a key that folds to a negative number) pair a with b. Every row of c pairs: no list, no filter.
        Assert.Equal([firstRowId, firstRowId + 2, firstRowId + 7], pairs["a"]);
        Assert.Equal([firstRowId + 3, firstRowId + 8], pairs["b"]);
        Assert.Null(pairs["c"]);
    }

    [Fact]
    public void A_large_table_scanned_in_parts_on_several_connections_pairs_every_row_once()
    {
        using var dir = new TempDir();
        var db = dir.File("large.sqlite");
        // 90,001 rows (rowids 5..90,005) are split among the cores: rows at the parts' edges must be neither lost nor
        // doubled. Build a ran n_prompt 0..44,999; build b every third of them and 45,000 more that a never ran.
        TestDb.Execute(db, """
            CREATE TABLE llama_bench (build_commit TEXT, n_prompt INTEGER, n_gen INTEGER, n_batch INTEGER, n_threads INTEGER, model_type TEXT, n_gpu_layers INTEGER, cpu_info TEXT, n_depth INTEGER);
            WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n < 90000)
            INSERT INTO llama_bench (rowid, build_commit, n_prompt, n_gen, n_batch, n_threads, model_type, n_gpu_layers, cpu_info, n_depth)
            SELECT n + 5, CASE WHEN n % 2 = 0 THEN 'a' ELSE 'b' END,
                   CASE WHEN n % 2 = 0 THEN n / 2 WHEN n % 3 = 1 THEN (n - 1) / 2 ELSE 100000 + n END,
                   0, 2048, 4, 'llama 7B', 99, 'EPYC', 0
            FROM i;
            """);
        using var c = TestDb.Open(db);
        var rows = new List<(long RowId, string Build, long Prompt)>();
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT rowid, build_commit, n_prompt FROM llama_bench";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                rows.Add((r.GetInt64(0), r.GetString(1), r.GetInt64(2)));
            }
        }

        var shared = rows.Where(r => r.Build == "a").Select(r => r.Prompt).ToHashSet();
        shared.IntersectWith(rows.Where(r => r.Build == "b").Select(r => r.Prompt));

        var pairs = SqliteRowPairing.Scan(c, "llama_bench", ["a", "b"], ["n_batch", "n_threads", "model_type", "n_gpu_layers", "cpu_info"]);

        Assert.Equal(15_000, shared.Count);
        foreach (var build in new[] { "a", "b" })
        {
            var expected = rows.Where(r => r.Build == build && shared.Contains(r.Prompt)).Select(r => r.RowId).Order();
            Assert.Equal(expected, pairs[build]!.Order());
        }
    }
}
