using System.Globalization;
using BenchGate.Model;
using BenchGate.Storage.Shared;
using Microsoft.Data.Sqlite;

namespace BenchGate.Storage.Sqlite;

/// <summary>Prepared statements that write one record: its llama_bench row, its key and its samples.</summary>
internal sealed class SqliteRowWriter : IDisposable
{
    private readonly SqliteConnection _c;
    private readonly SqliteTransaction _tx;
    private readonly Dictionary<string, long> _keyIds = new(StringComparer.Ordinal);
    private readonly RawStatement _insertRow;
    private readonly RawStatement _insertResult;
    private readonly SqliteCommand _findKey;
    private readonly SqliteCommand _insertKey;
    private readonly Dictionary<string, RawStatement> _adopt = [];
    private readonly SampleJson _samplesNs = new();
    private readonly SampleJson _samplesTs = new();
    private long _nextResultId;

    public SqliteRowWriter(SqliteConnection c, SqliteTransaction tx)
    {
        _c = c;
        _tx = tx;
        var names = LlamaBenchSchema.Fields.Select(f => f.Name).Append(Schema.LinkColumn).ToList();
        _insertRow = new RawStatement(c, $"INSERT INTO llama_bench ({string.Join(", ", names)}) VALUES ({string.Join(", ", names.Select(_ => "?"))})");
        _insertResult = new RawStatement(c, """
            INSERT INTO benchgate_results (result_id, run_seq, seq, key_id, repetitions, samples_ns, samples_ts, reported_stddev_ns, extra_fields, source_line)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """);
        _findKey = Prepare("SELECT key_id FROM benchmark_keys WHERE key_hash = $p0", 1);
        _insertKey = Prepare("""
            INSERT INTO benchmark_keys (key_hash, canonical, model, model_type, backends, cpu_info, gpu_info, n_threads, n_prompt, n_gen, n_depth, test)
            VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, $p11) RETURNING key_id
            """, 12);
        Reset();
    }

    /// <summary>Forgets cached ids after a rollback to a savepoint.</summary>
    public void Reset()
    {
        _keyIds.Clear();
        using var cmd = _c.CreateCommand();
        cmd.Transaction = _tx;
        cmd.CommandText = "SELECT COALESCE(MAX(result_id), 0) FROM benchgate_results";
        _nextResultId = (long)cmd.ExecuteScalar()! + 1;
    }

    public void Insert(long runSeq, int seq, BenchmarkRecord record, (string Table, long RowId)? adoptFrom)
    {
        var resultId = _nextResultId++;
        var r = _insertResult;
        r.Bind(1, resultId);
        r.Bind(2, runSeq);
        r.Bind(3, seq);
        r.Bind(4, KeyId(record));
        r.Bind(5, record.Repetitions);
        r.BindUtf8(6, _samplesNs.Write(record.SamplesNs), record.SamplesNs is null);
        r.BindUtf8(7, _samplesTs.Write(record.SamplesTs), record.SamplesTs is null);
        r.Bind(8, record.ReportedStddevNs);
        r.Bind(9, Shared.ExtraFields.Json(record));
        r.Bind(10, record.SourceLine);
        r.Execute();

        if (adoptFrom is { Table: LlamaBenchSchema.TableName } own)
        {
            var update = AdoptCommand(own.Table);
            BindRow(update, record, resultId);
            update.Bind(LlamaBenchSchema.Count + 2, own.RowId);
            update.Execute();
            return;
        }

        BindRow(_insertRow, record, resultId);
        _insertRow.Execute();
        if (adoptFrom is { } legacy)
        {
            var mark = AdoptCommand(legacy.Table);
            mark.Bind(1, resultId);
            mark.Bind(2, legacy.RowId);
            mark.Execute();
        }
    }

    private RawStatement AdoptCommand(string table)
    {
        if (!_adopt.TryGetValue(table, out var cmd))
        {
            cmd = table == LlamaBenchSchema.TableName
                ? new RawStatement(_c, $"UPDATE llama_bench SET {string.Join(", ", LlamaBenchSchema.Fields.Select(f => $"{f.Name} = ?"))}, {Schema.LinkColumn} = ? WHERE rowid = ?")
                : new RawStatement(_c, $"UPDATE {table} SET {Schema.LinkColumn} = ? WHERE rowid = ?");
            _adopt[table] = cmd;
        }

        return cmd;
    }

    private static void BindRow(RawStatement statement, BenchmarkRecord record, long resultId)
    {
        var values = record.Values;
        for (var i = 0; i < values.Length; i++)
        {
            statement.Bind(i + 1, values[i]);
        }

        statement.Bind(values.Length + 1, resultId);
    }

    private long KeyId(BenchmarkRecord record)
    {
        var key = record.Key;
        if (_keyIds.TryGetValue(key.Hash, out var id))
        {
            return id;
        }

        Set(_findKey, key.Hash);
        if (_findKey.ExecuteScalar() is long found)
        {
            return _keyIds[key.Hash] = found;
        }

        Set(_insertKey, key.Hash, key.Canonical, key["model_filename"], key["model_type"], key["backends"], key["cpu_info"], key["gpu_info"],
            key["n_threads"], record.NPrompt, record.NGen, record.NDepth, TestLabel.Format(record.NPrompt, record.NGen, record.NDepth));
        return _keyIds[key.Hash] = (long)_insertKey.ExecuteScalar()!;
    }

    private SqliteCommand Prepare(string sql, int parameters)
    {
        var cmd = _c.CreateCommand();
        cmd.Transaction = _tx;
        cmd.CommandText = sql;
        for (var i = 0; i < parameters; i++)
        {
            cmd.Parameters.Add(new SqliteParameter("$p" + i.ToString(CultureInfo.InvariantCulture), null));
        }

        cmd.Prepare();
        return cmd;
    }

    private static void Set(SqliteCommand cmd, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    public void Dispose()
    {
        _insertRow.Dispose();
        _insertResult.Dispose();
        _findKey.Dispose();
        _insertKey.Dispose();
        foreach (var cmd in _adopt.Values)
        {
            cmd.Dispose();
        }
    }
}
