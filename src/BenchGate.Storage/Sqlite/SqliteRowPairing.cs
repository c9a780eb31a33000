using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BenchGate.Storage.Sqlite;

/// <summary>Finds the rows of two or more builds that can pair, with one narrow scan (compare's first step).</summary>
internal static class SqliteRowPairing
{
    /// <summary>
    /// For each build, the rowids of its rows whose coarse key occurs in another of the builds, or null when every row
    /// of the build can pair (the caller then needs no filter).
    /// </summary>
    /// <remarks>
    /// SQLite folds the coarse key into one integer per row (a polynomial hash; a collision only keeps a row that
    /// the exact key comparison later drops), and packs it with the rowid and build, so the scan reads one value a
    /// row: each value read through SQLitePCL costs ~150 ns, and 120,000 rows × 10 columns took 0.45 s.
    /// </remarks>
    public static Dictionary<string, List<long>?> Scan(SqliteConnection c, string table, IReadOnlyList<string> builds, IReadOnlyList<string> stableColumns)
    {
        var columns = SqliteRowReader.Columns(c, table);
        var parts = new List<string> { "n_prompt", "n_gen" };
        parts.AddRange(stableColumns.Where(columns.Contains).Select(n => n is "model_type" or "cpu_info" ? $"COALESCE(length({n}) * 1000 + unicode({n}), 0)" : $"COALESCE({n}, 0)"));
        if (columns.Contains("n_depth"))
        {
            parts.Add("COALESCE(n_depth, 0)");
        }

        var hash = parts.Aggregate("0", (h, p) => $"(({h}) % 1099511627689) * 1000003 + {p}");
        var distinct = builds.Distinct().ToList();
        var buildIndex = "CASE " + string.Join(" ", distinct.Select((b, i) => $"WHEN {SqliteCompareInput.CommitFilter("t", b)} THEN {i}")) + " END";
        var where = string.Join(" OR ", distinct.Select(b => SqliteCompareInput.CommitFilter("t", b)));
        // With up to 4 builds and rowids below 2^31 (the usual case), rowid, build and a 30-bit fold of the key travel
        // as one integer: one value read a row instead of three (each read through SQLitePCL costs ~150 ns). The fold
        // is made non-negative (n_gpu_layers can be -1) so that it never borrows from the build and rowid bits.
        var (minRowId, maxRowId) = RowIdRange(c, table);
        var packed = distinct.Count <= 4 && minRowId >= 0 && maxRowId < (1L << 31);
        var select = packed
            ? $"SELECT ((t.rowid * 4 + {buildIndex}) << 30) + (abs({hash}) % 1073741789) FROM {table} t WHERE ({where})"
            : $"SELECT rowid, {buildIndex}, {hash} FROM {table} t WHERE ({where})";
        // SQLite evaluates the fold on one core: split the rowids among the cores, each part on its own connection
        // (a 120,000-row scan takes ~125 ms on one core of this 2-vCPU machine).
        var cores = (int)Math.Clamp(Math.Min(Environment.ProcessorCount, (maxRowId - minRowId + 1) / 20_000), 1, 4);
        var step = ((maxRowId - minRowId) / cores) + 1;
        var scans = Enumerable.Range(0, cores).Select(i => (From: minRowId + (i * step), To: minRowId + ((i + 1) * step))).ToList();
        var found = new List<(long RowId, int Build, long Key)>[cores];
        try
        {
            Parallel.For(0, cores, new ParallelOptions { MaxDegreeOfParallelism = cores }, i =>
            {
                var sql = $"{select} AND t.rowid >= {scans[i].From} AND t.rowid < {scans[i].To}";
                // Sized for the part's rowids up to 32,768 rows (768 KB), then grown: a list grown from nothing allocated twice
                // what it kept, and in a long history the compared builds are a small share of the rowids.
                var capacity = (int)Math.Min(scans[i].To - scans[i].From, 1 << 15);
                if (i == 0)
                {
                    found[i] = ScanPart(c, sql, packed, capacity);
                    return;
                }

                using var own = new SqliteConnection(c.ConnectionString);
                own.Open();
                found[i] = ScanPart(own, sql, packed, capacity);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Callers turn a SqliteException (a locked or damaged file) into one clear line; keep it what it was.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }

        // The parts are read where they are, not copied into one list.
        var rows = found.SelectMany(f => f);
        var masks = new Dictionary<long, long>(found.Sum(f => f.Count));
        foreach (var (_, build, key) in rows)
        {
            ref var mask = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(masks, key, out _);
            mask |= 1L << Math.Min(build, 63);
        }

        // A coarse key seen in two builds (two bits of its mask) can pair.
        var result = distinct.ToDictionary(b => b, _ => (List<long>?)[], StringComparer.Ordinal);
        var unpaired = new bool[distinct.Count];
        foreach (var (rowId, build, key) in rows)
        {
            var mask = masks[key];
            if ((mask & (mask - 1)) == 0)
            {
                unpaired[build] = true;
                continue;
            }

            result[distinct[build]]!.Add(rowId);
        }

        for (var i = 0; i < distinct.Count; i++)
        {
            if (!unpaired[i] && result[distinct[i]]!.Count > 0)
            {
                result[distinct[i]] = null;
            }
        }

        return result;
    }

    private static List<(long RowId, int Build, long Key)> ScanPart(SqliteConnection c, string sql, bool packed, int capacity)
    {
        var rows = new List<(long RowId, int Build, long Key)>(capacity);
        var db = c.Handle!;
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out var stmt), db);
        using (stmt)
        {
            int rc;
            while ((rc = raw.sqlite3_step(stmt)) == raw.SQLITE_ROW)
            {
                if (packed)
                {
                    var v = raw.sqlite3_column_int64(stmt, 0);
                    rows.Add((v >> 32, (int)((v >> 30) & 3), v & 0x3FFFFFFF));
                }
                else
                {
                    rows.Add((raw.sqlite3_column_int64(stmt, 0), raw.sqlite3_column_int(stmt, 1), raw.sqlite3_column_int64(stmt, 2)));
                }
            }

            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }
        }

        return rows;
    }

    private static (long Min, long Max) RowIdRange(SqliteConnection c, string table)
    {
        using var cmd = c.CreateCommand();
        // Two subqueries, each answered from one end of the b-tree (MIN and MAX in one query would scan the table).
        cmd.CommandText = $"SELECT COALESCE((SELECT MIN(rowid) FROM {table}), 0), COALESCE((SELECT MAX(rowid) FROM {table}), 0)";
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), r.GetInt64(1));
    }
}
