using BenchGate.Model;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BenchGate.Storage.Sqlite;

/// <summary>
/// A statement prepared once and bound by position. Microsoft.Data.Sqlite looks every parameter up by name on
/// every execution, which cost a third of ingest time (bench/RESULTS.md); the hot inserts use this instead.
/// It runs on the same connection, so inside the same transaction.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private const int Utf8CacheLimit = 16_384;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;

    // Field values repeat (ingest interns them), and encoding each again to UTF-8 was a fifth of write time.
    private readonly Dictionary<string, byte[]> _utf8 = new(ReferenceEqualityComparer.Instance);
    private byte[] _scratch = new byte[256];

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle!;
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _stmt);
        SqliteException.ThrowExceptionForRC(rc, _db);
    }

    // SQLite keeps bindings across sqlite3_reset, and most columns repeat row after row (build, machine,
    // model, parameters): re-binding only what changed saves most of the per-row P/Invoke calls.
    private FieldValue[] _bound = new FieldValue[64];
    private bool[] _isBound = new bool[64];

    /// <summary>Binds a value at a 1-based position.</summary>
    public void Bind(int index, FieldValue value)
    {
        if (index >= _bound.Length)
        {
            Array.Resize(ref _bound, index * 2);
            Array.Resize(ref _isBound, index * 2);
        }

        if (_isBound[index] && _bound[index].Equals(value))
        {
            return;
        }

        _bound[index] = value;
        _isBound[index] = true;
        switch (value.Kind)
        {
            case ValueKind.Null: raw.sqlite3_bind_null(_stmt, index); break;
            case ValueKind.Text: raw.sqlite3_bind_text(_stmt, index, Utf8(value.Text!)); break;
            case ValueKind.Real: raw.sqlite3_bind_double(_stmt, index, value.Real); break;
            default: raw.sqlite3_bind_int64(_stmt, index, value.Integer); break;
        }
    }

    private ReadOnlySpan<byte> Utf8(string text)
    {
        if (_utf8.TryGetValue(text, out var bytes))
        {
            return bytes;
        }

        bytes = System.Text.Encoding.UTF8.GetBytes(text);
        if (_utf8.Count >= Utf8CacheLimit)
        {
            _utf8.Clear();
        }

        _utf8[text] = bytes;
        return bytes;
    }

    public void Bind(int index, long? value) => Bind(index, value is { } v ? FieldValue.FromInteger(v) : FieldValue.Null);

    public void Bind(int index, string? value)
    {
        Forget(index);
        if (value is null)
        {
            raw.sqlite3_bind_null(_stmt, index);
            return;
        }

        // SQLite copies the text (SQLITE_TRANSIENT), so one scratch buffer serves every call.
        var needed = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_scratch.Length < needed)
        {
            _scratch = new byte[Math.Max(needed, _scratch.Length * 2)];
        }

        var n = System.Text.Encoding.UTF8.GetBytes(value, _scratch);
        raw.sqlite3_bind_text(_stmt, index, _scratch.AsSpan(0, n));
    }

    /// <summary>Binds UTF-8 text that the caller formatted; SQLite copies it.</summary>
    public void BindUtf8(int index, ReadOnlySpan<byte> utf8, bool isNull)
    {
        Forget(index);
        if (isNull)
        {
            raw.sqlite3_bind_null(_stmt, index);
        }
        else
        {
            raw.sqlite3_bind_text(_stmt, index, utf8);
        }
    }

    private void Forget(int index)
    {
        if (index < _isBound.Length)
        {
            _isBound[index] = false;
        }
    }

    /// <summary>Runs the statement; returns SQLite's result code for the caller to judge constraint failures.</summary>
    public int TryExecute(out long firstColumn)
    {
        var rc = raw.sqlite3_step(_stmt);
        firstColumn = rc == raw.SQLITE_ROW ? raw.sqlite3_column_int64(_stmt, 0) : 0;
        if (rc == raw.SQLITE_ROW)
        {
            rc = raw.sqlite3_step(_stmt);
        }

        raw.sqlite3_reset(_stmt);
        return rc;
    }

    public long Execute()
    {
        var rc = TryExecute(out var first);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        return first;
    }

    public void Dispose() => _stmt.Dispose();
}
