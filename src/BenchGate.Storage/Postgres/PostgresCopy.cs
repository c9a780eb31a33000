using BenchGate.BackendOps;
using BenchGate.Model;
using BenchGate.Storage.Shared;
using Npgsql;
using NpgsqlTypes;

namespace BenchGate.Storage.Postgres;

/// <summary>Binary COPY writers for the bulk tables, in the caller's transaction.</summary>
internal static class PostgresCopy
{
    private static readonly string LlamaBenchColumns = string.Join(", ", LlamaBenchSchema.Fields.Select(f => f.Name).Append(Schema.LinkColumn));

    public static void Runs(NpgsqlConnection c, List<PostgresRunBuffer.PendingRun> runs)
    {
        CopyRuns(c, runs);

        // After the COPY has ended (the importer disposed): the connection takes no other command during one.
        foreach (var r in runs.Where(r => r.Descriptor.PairId is not null))
        {
            using var pair = new NpgsqlCommand("INSERT INTO benchgate_run_pairs (run_seq, pair_id) VALUES (@seq, @pair)", c);
            pair.Parameters.AddWithValue("seq", r.RunSeq);
            pair.Parameters.AddWithValue("pair", r.Descriptor.PairId!);
            pair.ExecuteNonQuery();
        }
    }

    private static void CopyRuns(NpgsqlConnection c, List<PostgresRunBuffer.PendingRun> runs)
    {
        using var w = c.BeginBinaryImport("""
            COPY benchgate_runs (run_seq, run_id, source_id, index_in_source, commit_sha, build_commit, build_number, branch, machine, ingested_at, row_count)
            FROM STDIN (FORMAT BINARY)
            """);
        foreach (var r in runs)
        {
            var d = r.Descriptor;
            w.StartRow();
            w.Write(r.RunSeq, NpgsqlDbType.Bigint);
            w.Write(r.RunId, NpgsqlDbType.Text);
            Nullable(w, d.SourceId == 0 ? null : d.SourceId);
            w.Write((long)d.IndexInSource, NpgsqlDbType.Bigint);
            Text(w, d.Commit);
            Text(w, d.BuildCommit);
            Nullable(w, d.BuildNumber);
            Text(w, d.Branch);
            Text(w, d.Machine);
            w.Write(r.IngestedAt, NpgsqlDbType.Text);
            w.Write((long)r.Rows, NpgsqlDbType.Bigint);
        }

        w.Complete();
    }

    public static void Results(NpgsqlConnection c, List<(long RunSeq, int Seq, BenchmarkRecord Record)> rows, List<long> ids, long[] keyIds, SampleJson json)
    {
        using var w = c.BeginBinaryImport("""
            COPY benchgate_results (result_id, run_seq, seq, key_id, repetitions, samples_ns, samples_ts, reported_stddev_ns, extra_fields, source_line)
            FROM STDIN (FORMAT BINARY)
            """);
        for (var i = 0; i < rows.Count; i++)
        {
            var (runSeq, seq, r) = rows[i];
            w.StartRow();
            w.Write(ids[i], NpgsqlDbType.Bigint);
            w.Write(runSeq, NpgsqlDbType.Bigint);
            w.Write((long)seq, NpgsqlDbType.Bigint);
            w.Write(keyIds[i], NpgsqlDbType.Bigint);
            Nullable(w, r.Repetitions is { } n ? n : null);
            Text(w, PostgresRunBuffer.Utf8(json.Write(r.SamplesNs), r.SamplesNs is null));
            Text(w, PostgresRunBuffer.Utf8(json.Write(r.SamplesTs), r.SamplesTs is null));
            Nullable(w, r.ReportedStddevNs);
            Text(w, Shared.ExtraFields.Json(r));
            w.Write((long)r.SourceLine, NpgsqlDbType.Bigint);
        }

        w.Complete();
    }

    public static void LlamaBenchRows(NpgsqlConnection c, List<(long RunSeq, int Seq, BenchmarkRecord Record)> rows, List<long> ids)
    {
        using var w = c.BeginBinaryImport($"COPY llama_bench ({LlamaBenchColumns}) FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < rows.Count; i++)
        {
            w.StartRow();
            var values = rows[i].Record.Values;
            foreach (var f in LlamaBenchSchema.Fields)
            {
                Value(w, f, values[f.Ordinal]);
            }

            w.Write(ids[i], NpgsqlDbType.Bigint);
        }

        w.Complete();
    }

    public static void BackendOps(NpgsqlConnection c, IReadOnlyList<BackendOpResult> rows)
    {
        using var w = c.BeginBinaryImport("""
            COPY test_backend_ops (test_time, build_commit, backend_name, op_name, op_params, test_mode, supported, passed, error_message,
              time_us, flops, bandwidth_gb_s, memory_kb, n_runs) FROM STDIN (FORMAT BINARY)
            """);
        foreach (var r in rows)
        {
            w.StartRow();
            w.Write(r.TestTime, NpgsqlDbType.Text);
            w.Write(r.BuildCommit, NpgsqlDbType.Text);
            w.Write(r.Backend, NpgsqlDbType.Text);
            w.Write(r.Op, NpgsqlDbType.Text);
            w.Write(r.Params, NpgsqlDbType.Text);
            w.Write(r.Mode, NpgsqlDbType.Text);
            w.Write(r.Supported ? 1L : 0L, NpgsqlDbType.Bigint);
            w.Write(r.Passed ? 1L : 0L, NpgsqlDbType.Bigint);
            w.Write("", NpgsqlDbType.Text);
            w.Write(r.TimeUs, NpgsqlDbType.Double);
            w.Write(r.Flops, NpgsqlDbType.Double);
            w.Write(r.BandwidthGbS, NpgsqlDbType.Double);
            w.Write(r.MemoryKb, NpgsqlDbType.Bigint);
            w.Write(r.Runs, NpgsqlDbType.Bigint);
        }

        w.Complete();
    }

    private static void Value(NpgsqlBinaryImporter w, LlamaBenchField f, FieldValue v)
    {
        if (v.IsNull)
        {
            w.WriteNull();
            return;
        }

        switch (f.SqlType)
        {
            case "REAL":
                w.Write(v.Kind == ValueKind.Real ? v.Real : v.Integer, NpgsqlDbType.Double);
                break;
            case "INTEGER":
                w.Write(v.Kind == ValueKind.Real ? (long)v.Real : v.Integer, NpgsqlDbType.Bigint);
                break;
            default:
                w.Write(v.Kind == ValueKind.Text ? v.Text! : v.ToString(), NpgsqlDbType.Text);
                break;
        }
    }

    internal static void Nullable(NpgsqlBinaryImporter w, long? v)
    {
        if (v is { } x)
        {
            w.Write(x, NpgsqlDbType.Bigint);
        }
        else
        {
            w.WriteNull();
        }
    }

    internal static void Text(NpgsqlBinaryImporter w, string? s)
    {
        if (s is null)
        {
            w.WriteNull();
        }
        else
        {
            w.Write(s, NpgsqlDbType.Text);
        }
    }

    /// <summary>A finite number, else NULL.</summary>
    internal static void Real(NpgsqlBinaryImporter w, double? d)
    {
        if (d is { } x && double.IsFinite(x))
        {
            w.Write(x, NpgsqlDbType.Double);
        }
        else
        {
            w.WriteNull();
        }
    }
}
