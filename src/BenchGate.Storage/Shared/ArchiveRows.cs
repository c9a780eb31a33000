using System.Data.Common;
using System.Globalization;
using System.Text;
using BenchGate.Ingest.Readers;
using BenchGate.Model;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BenchGate.Storage.Shared;

/// <summary>The rows of one query as <see cref="RunArchive.Read(DbConnection, IReadOnlyList{Model.LlamaBenchField}, string, ValueTuple{string, object}[])"/> reads them.</summary>
internal interface IArchiveRows : IDisposable
{
    bool Read();

    bool IsNull(int i);

    long Long(int i);

    double Double(int i);

    /// <summary>The value as text (a number in invariant form), or null.</summary>
    string? Text(int i);

    /// <summary>A JSON array of numbers (samples) as doubles.</summary>
    double[] Samples(int i);

    /// <summary>A JSON array of numbers (samples in ns) as integers.</summary>
    long[] Nanoseconds(int i);

    /// <summary>A stored benchmark key (its canonical text), its values shared with the keys read before it.</summary>
    BenchmarkKey Key(int i);
}

internal static class ArchiveRows
{
    /// <summary>
    /// SQLite through SQLitePCL directly: Microsoft.Data.Sqlite's reader crossed into native code for every IsDBNull
    /// and allocated a string per text value (500,000 results: 4 s of trend's 6 s load). PostgreSQL through ADO.NET.
    /// </summary>
    public static IArchiveRows Open(DbConnection c, string sql, (string Name, object? Value)[] args) =>
        c is SqliteConnection sqlite ? new SqliteArchiveRows(sqlite, sql, args) : new AdoArchiveRows(RunArchive.Command(c, sql, args));
}

internal sealed class AdoArchiveRows(DbCommand cmd) : IArchiveRows
{
    private readonly DbDataReader _reader = cmd.ExecuteReader();
    private readonly Utf8Interner _interner = new();

    public bool Read() => _reader.Read();

    public bool IsNull(int i) => _reader.IsDBNull(i);

    public long Long(int i) => _reader.GetInt64(i);

    public double Double(int i) => _reader.GetDouble(i);

    public string? Text(int i) => RunArchive.Str(_reader, i);

    public double[] Samples(int i) => SampleJson.Parse(Encoding.UTF8.GetBytes(_reader.GetString(i)));

    public long[] Nanoseconds(int i) => SampleJson.ParseIntegers(Encoding.UTF8.GetBytes(_reader.GetString(i)));

    public BenchmarkKey Key(int i) => BenchmarkKey.Parse(Encoding.UTF8.GetBytes(_reader.GetString(i)), _interner);

    public void Dispose()
    {
        _reader.Dispose();
        cmd.Dispose();
    }
}

internal sealed class SqliteArchiveRows : IArchiveRows
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;
    private readonly Utf8Interner _interner = new();

    public SqliteArchiveRows(SqliteConnection c, string sql, (string Name, object? Value)[] args)
    {
        _db = c.Handle!;
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(_db, sql, out _stmt), _db);
        try
        {
            Bind(args);
        }
        catch
        {
            _stmt.Dispose();
            throw;
        }
    }

    private void Bind((string Name, object? Value)[] args)
    {
        var bound = 0;
        foreach (var (name, value) in args)
        {
            var index = raw.sqlite3_bind_parameter_index(_stmt, "@" + name);
            if (index == 0)
            {
                continue;
            }

            var rc = value switch
            {
                null => raw.sqlite3_bind_null(_stmt, index),
                string s => raw.sqlite3_bind_text(_stmt, index, s),
                long l => raw.sqlite3_bind_int64(_stmt, index, l),
                int n => raw.sqlite3_bind_int64(_stmt, index, n),
                double d => raw.sqlite3_bind_double(_stmt, index, d),
                _ => throw new ArgumentException($"@{name}: cannot bind a {value.GetType().Name}", nameof(args)),
            };
            SqliteException.ThrowExceptionForRC(rc, _db);
            bound++;
        }

        // As Microsoft.Data.Sqlite does: a parameter left unbound would read as NULL (in CommitFilter, "every run").
        if (bound != raw.sqlite3_bind_parameter_count(_stmt))
        {
            throw new ArgumentException($"{raw.sqlite3_bind_parameter_count(_stmt)} parameters in the query, {bound} given", nameof(args));
        }
    }

    public bool Read()
    {
        var rc = raw.sqlite3_step(_stmt);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        return false;
    }

    public bool IsNull(int i) => raw.sqlite3_column_type(_stmt, i) == raw.SQLITE_NULL;

    public long Long(int i) => raw.sqlite3_column_int64(_stmt, i);

    public double Double(int i) => raw.sqlite3_column_double(_stmt, i);

    public string? Text(int i) => raw.sqlite3_column_type(_stmt, i) switch
    {
        raw.SQLITE_NULL => null,
        raw.SQLITE_INTEGER => raw.sqlite3_column_int64(_stmt, i).ToString(CultureInfo.InvariantCulture),
        raw.SQLITE_FLOAT => raw.sqlite3_column_double(_stmt, i).ToString(CultureInfo.InvariantCulture),
        _ => _interner.Get(raw.sqlite3_column_blob(_stmt, i)),
    };

    public double[] Samples(int i) => SampleJson.Parse(raw.sqlite3_column_blob(_stmt, i));

    public long[] Nanoseconds(int i) => SampleJson.ParseIntegers(raw.sqlite3_column_blob(_stmt, i));

    public BenchmarkKey Key(int i) => BenchmarkKey.Parse(raw.sqlite3_column_blob(_stmt, i), _interner);

    public void Dispose() => _stmt.Dispose();
}
