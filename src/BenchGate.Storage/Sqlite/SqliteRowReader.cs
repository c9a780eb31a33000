using BenchGate.Ingest;
using BenchGate.Ingest.Readers;
using BenchGate.Model;
using BenchGate.Storage.Shared;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BenchGate.Storage.Sqlite;

/// <summary>Reads llama-bench rows (table llama_bench or test) as <see cref="RawRecord"/>s, in rowid order.</summary>
internal static class SqliteRowReader
{
    public static bool TableExists(SqliteConnection c, string table, SqliteTransaction? tx = null)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $n";
        cmd.Parameters.AddWithValue("$n", table);
        return cmd.ExecuteScalar() is not null;
    }

    public static List<string> Columns(SqliteConnection c, string table, SqliteTransaction? tx = null)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
        using var r = cmd.ExecuteReader();
        var names = new List<string>();
        while (r.Read())
        {
            names.Add(r.GetString(0));
        }

        return names;
    }

    /// <summary>
    /// Rows of <paramref name="table"/> with rowid above <paramref name="afterRowId"/>, at most <paramref name="limit"/>;
    /// with samples when the database is one of ours. <paramref name="where"/> may name the table's row as <c>t</c>.
    /// </summary>
    public static List<(long RowId, RawRecord Record)> Read(SqliteConnection c, string table, string? where, long afterRowId, int limit, SqliteTransaction? tx = null)
    {
        var withSamples = table == LlamaBenchSchema.TableName && TableExists(c, "benchgate_results", tx)
            && Columns(c, table, tx).Contains(Schema.LinkColumn);
        var sql = withSamples
            ? $"SELECT t.rowid AS benchgate_rowid, r.samples_ns AS benchgate_samples_ns, r.samples_ts AS benchgate_samples_ts, t.* FROM {table} t LEFT JOIN benchgate_results r ON r.result_id = t.{Schema.LinkColumn} WHERE t.rowid > ?1 {(where is null ? "" : "AND " + where)} ORDER BY t.rowid LIMIT ?2"
            : $"SELECT t.rowid AS benchgate_rowid, NULL AS benchgate_samples_ns, NULL AS benchgate_samples_ts, t.* FROM {table} t WHERE t.rowid > ?1 {(where is null ? "" : "AND " + where)} ORDER BY t.rowid LIMIT ?2";

        // Read through the library directly: Microsoft.Data.Sqlite's reader allocated a string per value and was
        // most of the time detect spent loading (bench/RESULTS.md); text is interned straight from UTF-8.
        var db = c.Handle!;
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out var stmt), db);
        using (stmt)
        {
            raw.sqlite3_bind_int64(stmt, 1, afterRowId);
            raw.sqlite3_bind_int64(stmt, 2, limit);
            var count = raw.sqlite3_column_count(stmt);
            var names = new string[count];
            for (var i = 0; i < count; i++)
            {
                names[i] = raw.sqlite3_column_name(stmt, i).utf8_to_string();
            }

            var texts = new ColumnTexts(count);
            var cursor = new SqliteColumns.Cursor(stmt);
            var rows = new List<(long, RawRecord)>();
            int rc;
            while ((rc = cursor.Step()) == SqliteColumns.Row)
            {
                var rowId = cursor.Int64(0);
                var record = new RawRecord((int)Math.Min(int.MaxValue, rowId)) { LocationUnit = $"table {table}, rowid" };
                for (var i = 3; i < count; i++)
                {
                    if (names[i] != Schema.LinkColumn)
                    {
                        record.Add(names[i], Value(cursor, i, texts));
                    }
                }

                if (cursor.Type(1) == raw.SQLITE_TEXT)
                {
                    record.SamplesNs = SampleJson.Parse(cursor.Text(1));
                }

                if (cursor.Type(2) == raw.SQLITE_TEXT)
                {
                    record.SamplesTs = SampleJson.Parse(cursor.Text(2));
                }

                rows.Add((rowId, record));
            }

            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }

            return rows;
        }
    }

    /// <summary>
    /// The same rows as <see cref="Read"/> (without samples), streamed: every row is read into the same record object,
    /// valid until the next row (normalise it, do not keep it). Values are read straight from the library
    /// (<see cref="SqliteColumns"/>), exactly as stored; a text that repeats the previous row's in its column is not decoded again.
    /// </summary>
    public static IEnumerable<(long RowId, RawRecord Record)> Stream(SqliteConnection c, string table, string? where)
    {
        var names = Columns(c, table).Where(n => n != Schema.LinkColumn).ToArray();
        var select = string.Join(", ", names.Select(n => $"t.\"{n.Replace("\"", "\"\"", StringComparison.Ordinal)}\""));
        return TypedRows(c, $"SELECT t.rowid, {select} FROM {table} t {(where is null ? "" : "WHERE " + where)} ORDER BY t.rowid", names, $"table {table}, rowid");
    }

    private static IEnumerable<(long RowId, RawRecord Record)> TypedRows(SqliteConnection c, string sql, string[] names, string unit)
    {
        var record = new RawRecord(0) { LocationUnit = unit };
        var texts = new ColumnTexts(names.Length + 1);
        var db = c.Handle!;
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out var stmt), db);
        using (stmt)
        {
            var cursor = new SqliteColumns.Cursor(stmt);
            int rc;
            while ((rc = cursor.Step()) == SqliteColumns.Row)
            {
                var rowId = cursor.Int64(0);
                record.Reset((int)Math.Min(int.MaxValue, rowId));
                for (var i = 0; i < names.Length; i++)
                {
                    record.Add(names[i], Value(cursor, i + 1, texts));
                }

                yield return (rowId, record);
            }

            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }
        }
    }

    /// <summary>A column's value as stored: its type is SQLite's (no affinity applied), a blob is base64 text.</summary>
    private static FieldValue Value(SqliteColumns.Cursor cursor, int column, ColumnTexts texts) => cursor.Type(column) switch
    {
        raw.SQLITE_NULL => FieldValue.Null,
        raw.SQLITE_INTEGER => FieldValue.FromInteger(cursor.Int64(column)),
        raw.SQLITE_FLOAT => FieldValue.FromReal(cursor.Double(column)),
        raw.SQLITE_BLOB => FieldValue.FromText(Convert.ToBase64String(cursor.Blob(column))),
        _ => FieldValue.FromText(texts.Get(column, cursor.Text(column))),
    };

    /// <summary>
    /// One string per distinct text of a result column: a row's text that equals the previous row's in the same column (the
    /// build, the model, the CPU, most parameters) is neither decoded nor looked up again.
    /// </summary>
    private sealed class ColumnTexts(int columns)
    {
        private readonly byte[][] _bytes = new byte[columns][];
        private readonly int[] _lengths = new int[columns];
        private readonly string?[] _strings = new string?[columns];
        private readonly Utf8Interner _interner = new();

        public string Get(int column, ReadOnlySpan<byte> utf8)
        {
            if (_strings[column] is { } last && utf8.SequenceEqual(_bytes[column].AsSpan(0, _lengths[column])))
            {
                return last;
            }

            var text = _interner.Get(utf8);
            if (_bytes[column] is not { } buffer || buffer.Length < utf8.Length)
            {
                _bytes[column] = buffer = new byte[Math.Max(32, utf8.Length)];
            }

            utf8.CopyTo(buffer);
            _lengths[column] = utf8.Length;
            _strings[column] = text;
            return text;
        }
    }
}
