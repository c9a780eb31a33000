using System.Data.Common;
using System.Globalization;
using BenchGate.Detection;
using BenchGate.Model;

namespace BenchGate.Storage.Shared;

/// <summary>A stored run's identity: who ran it, from which source.</summary>
internal sealed record ArchivedRun(string RunId, string? Commit, string? BuildCommit, long? BuildNumber, string? Branch, string? Machine, int IndexInSource,
    string SourceName, string SourceFormat, string? SourceSha256, long SourceSizeBytes, string SourceKey, string? PairId);

/// <summary>
/// Reads whole stored runs (every llama_bench column, key, samples, extras) through plain ADO.NET, so the same
/// SQL serves the SQLite file and the PostgreSQL server: detect and compare on PostgreSQL, sync and export.
/// </summary>
internal static class RunArchive
{
    /// <summary>The columns detect uses: reading only these halves the time of a large detect.</summary>
    public static readonly IReadOnlyList<LlamaBenchField> DetectFields = FieldLayout.Detect.Fields;

    private static readonly KeyValuePair<string, FieldValue>[] NoExtras = [];

    /// <summary>The runs whose commit or build_commit matches (a prefix either way), or all runs.</summary>
    public const string CommitFilter = "WHERE CAST(@c AS TEXT) IS NULL OR ru.commit_sha LIKE @c || '%' OR ru.build_commit LIKE @c || '%' OR @c LIKE ru.build_commit || '%'";

    /// <summary>Runs selected by a WHERE clause over benchgate_runs (alias ru), in storage order, each whole.</summary>
    public static List<RunRecords> Read(DbConnection c, string where, params (string Name, object? Value)[] args) => Read(c, LlamaBenchSchema.Fields, where, args);

    /// <summary>As <see cref="Read(DbConnection, string, ValueTuple{string, object}[])"/>, with only <paramref name="fields"/> of llama_bench filled in (the others null).</summary>
    public static List<RunRecords> Read(DbConnection c, IReadOnlyList<LlamaBenchField> fields, string where, params (string Name, object? Value)[] args)
    {
        var runs = new List<RunRecords>();
        Stream(c, fields, where, runs.Add, args);
        return runs;
    }

    /// <summary>
    /// As <see cref="Read(DbConnection, IReadOnlyList{LlamaBenchField}, string, ValueTuple{string, object}[])"/>, each run handed to
    /// <paramref name="run"/> as soon as its rows are read: a reader that keeps less than the runs (trend keeps its points)
    /// never holds a long history whole.
    /// </summary>
    public static void Stream(DbConnection c, IReadOnlyList<LlamaBenchField> fields, string where, Action<RunRecords> run, params (string Name, object? Value)[] args)
    {
        var columns = string.Join(", ", fields.Select(f => "lb." + f.Name));
        // The runs are chosen first, and their results sought by run through the (run_seq, seq) index: with the filter on
        // the join SQLite walked every result of the database to keep one run's (10,000,000 rows: 3.8 s for a 1,000-row
        // commit, now milliseconds), and PostgreSQL, misjudging how many runs a subquery keeps, read every result of each
        // key (1,000,000 rows: 1-2 s). A list of numbers leaves neither planner anything to guess.
        var chosen = ChosenRuns(c, where, args);
        if (chosen.Count == 0)
        {
            return;
        }

        var runSeqs = string.Join(',', chosen);
        var keys = Keys(c, runSeqs);
        var pairs = HasPairs(c);
        var layout = fields.Count == LlamaBenchSchema.Count ? null : new FieldLayout(fields);
        // Results in their (run_seq, seq) index order, without a sort of the whole result; each key's canonical text is
        // read once (above) rather than joined onto every row (500,000 rows: 2.9 s -> 1.3 s in the sqlite3 shell).
        using var r = ArchiveRows.Open(c, $"""
            SELECT ru.run_seq, ru.run_id, ru.commit_sha, r.key_id, r.samples_ns, r.samples_ts, r.reported_stddev_ns, r.extra_fields, r.source_line, {(pairs ? "pr.pair_id" : "NULL")}, {columns}
            FROM benchgate_results r
            JOIN benchgate_runs ru ON ru.run_seq = r.run_seq
            {(pairs ? "LEFT JOIN benchgate_run_pairs pr ON pr.run_seq = ru.run_seq" : "")}
            JOIN llama_bench lb ON lb.{Schema.LinkColumn} = r.result_id
            WHERE r.run_seq IN ({runSeqs})
            ORDER BY r.run_seq, r.seq
            """, []);
        long runSeq = -1;
        string? runId = null, runCommit = null, pairId = null;
        List<BenchmarkRecord>? records = null;
        var complete = true;
        while (r.Read())
        {
            var seq = r.Long(0);
            if (seq != runSeq || records is null)
            {
                if (records is not null && complete)
                {
                    run(new RunRecords(runId!, runCommit, records, pairId));
                }

                (runSeq, runId, runCommit, pairId, records, complete) = (seq, r.Text(1), r.Text(2), r.Text(9), [], true);
            }

            // The chosen runs were stored whole before their keys were read, so every key is known; should one not be, its
            // run is left out whole rather than read in part.
            if (!complete || !keys.TryGetValue(r.Long(3), out var key))
            {
                complete = false;
                continue;
            }

            var values = new FieldValue[layout is null ? LlamaBenchSchema.Count : fields.Count];
            for (var j = 0; j < fields.Count; j++)
            {
                var (f, i) = (fields[j], 10 + j);
                values[layout is null ? f.Ordinal : j] = r.IsNull(i) ? FieldValue.Null : f.Type switch
                {
                    FieldType.Text => FieldValue.FromText(r.Text(i)),
                    FieldType.Real => FieldValue.FromReal(r.Double(i)),
                    _ => FieldValue.FromInteger(r.Long(i)),
                };
            }

            var ns = r.IsNull(4) ? null : r.Nanoseconds(4);
            var ts = r.IsNull(5) ? null : r.Samples(5);
            // A record with a layout reads fields by schema ordinal only: its extras would be parsed for nothing (100,000 lists a large detect).
            IReadOnlyList<KeyValuePair<string, FieldValue>> extras = layout is not null || r.IsNull(7) ? NoExtras : ExtraFields.Parse(r.Text(7)!);
            var (stddev, line) = (r.IsNull(6) ? (long?)null : r.Long(6), r.IsNull(8) ? 0 : (int)r.Long(8));
            records!.Add(new BenchmarkRecord(layout, values, extras, ns, ts, stddev, line, key));
        }

        if (records is not null && complete)
        {
            run(new RunRecords(runId!, runCommit, records, pairId));
        }
    }

    /// <summary>The run_seq of the runs a WHERE clause over benchgate_runs (alias ru) selects, in storage order.</summary>
    private static List<long> ChosenRuns(DbConnection c, string where, (string Name, object? Value)[] args) =>
        AdoStores.Query(c, null, $"SELECT ru.run_seq FROM benchgate_runs ru {where} ORDER BY ru.run_seq", r => r.GetInt64(0), args);

    /// <summary>The keys of the chosen runs' results, read before them (PostgreSQL runs one command at a time).</summary>
    private static Dictionary<long, BenchmarkKey> Keys(DbConnection c, string runSeqs)
    {
        using var r = ArchiveRows.Open(c, $"""
            SELECT k.key_id, k.canonical FROM benchmark_keys k
            WHERE k.key_id IN (SELECT r.key_id FROM benchgate_results r WHERE r.run_seq IN ({runSeqs}))
            """, []);
        var keys = new Dictionary<long, BenchmarkKey>();
        while (r.Read())
        {
            keys[r.Long(0)] = r.Key(1);
        }

        return keys;
    }

    /// <summary>Every stored run with its source, in storage order.</summary>
    public static List<ArchivedRun> Runs(DbConnection c)
    {
        var pairs = HasPairs(c);
        using var cmd = Command(c, $"""
            SELECT ru.run_id, ru.commit_sha, ru.build_commit, ru.build_number, ru.branch, ru.machine, ru.index_in_source,
                   COALESCE(s.name, 'unknown source'), COALESCE(s.format, 'sqlite'), s.sha256, COALESCE(s.size_bytes, 0), COALESCE(CAST(s.source_id AS TEXT), ru.run_id), {(pairs ? "pr.pair_id" : "NULL")}
            FROM benchgate_runs ru LEFT JOIN benchgate_sources s ON s.source_id = ru.source_id {(pairs ? "LEFT JOIN benchgate_run_pairs pr ON pr.run_seq = ru.run_seq" : "")}
            ORDER BY ru.run_seq
            """);
        using var r = cmd.ExecuteReader();
        var list = new List<ArchivedRun>();
        while (r.Read())
        {
            list.Add(new ArchivedRun(r.GetString(0), Str(r, 1), Str(r, 2), r.IsDBNull(3) ? null : r.GetInt64(3), Str(r, 4), Str(r, 5), (int)r.GetInt64(6),
                r.GetString(7), r.GetString(8), Str(r, 9), r.GetInt64(10), r.GetString(11), Str(r, 12)));
        }

        return list;
    }

    /// <summary>Each stored commit (or build, for a run without one) once, oldest first, for <see cref="Detection.HeldCommits"/>.</summary>
    public static List<string> HeldCommits(DbConnection c) =>
        AdoStores.Query(c, null, "SELECT COALESCE(commit_sha, build_commit, '?') FROM benchgate_runs GROUP BY 1 ORDER BY MIN(run_seq)", r => r.GetString(0));

    /// <summary>Whether the database has a table: a file of an older schema, read without migrating it, may not.</summary>
    public static bool TableExists(DbConnection c, string table)
    {
        using var cmd = c is Npgsql.NpgsqlConnection
            ? Command(c, "SELECT to_regclass(@t) IS NOT NULL", ("t", table))
            : Command(c, "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = @t", ("t", table));
        return Convert.ToBoolean(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static bool HasPairs(DbConnection c) => TableExists(c, "benchgate_run_pairs");

    public static DbCommand Command(DbConnection c, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@" + name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }

        return cmd;
    }

    public static string? Str(DbDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture);
}
