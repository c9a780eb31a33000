using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SQLitePCL;

namespace BenchGate.Storage.Sqlite;

/// <summary>
/// Reads the current row's columns straight from the SQLite library. SQLitePCL marshals its statement handle (a
/// SafeHandle: a reference count taken and dropped) and dispatches through its provider on every call, ~150 ns a value;
/// compare reads 40 columns of 120,000 rows. The statement stays owned by SQLitePCL: this borrows its pointer while
/// the caller holds the handle.
/// </summary>
internal static unsafe partial class SqliteColumns
{
    private const string Library = "e_sqlite3";

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial int sqlite3_column_type(IntPtr stmt, int column);

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial long sqlite3_column_int64(IntPtr stmt, int column);

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial double sqlite3_column_double(IntPtr stmt, int column);

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial byte* sqlite3_column_blob(IntPtr stmt, int column);

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial byte* sqlite3_column_text(IntPtr stmt, int column);

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial int sqlite3_column_bytes(IntPtr stmt, int column);

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial int sqlite3_step(IntPtr stmt);

    /// <summary>A statement's row cursor, valid while <paramref name="statement"/> is alive and not finalised.</summary>
    public readonly struct Cursor(sqlite3_stmt statement)
    {
        private readonly IntPtr _stmt = statement.DangerousGetHandle();

        public int Step() => sqlite3_step(_stmt);

        public int Type(int column) => sqlite3_column_type(_stmt, column);

        public long Int64(int column) => sqlite3_column_int64(_stmt, column);

        public double Double(int column) => sqlite3_column_double(_stmt, column);

        /// <summary>The column as UTF-8 text; valid until the next step.</summary>
        public ReadOnlySpan<byte> Text(int column)
        {
            // NULL for a text value only when SQLite could not allocate its UTF-8 form.
            var p = sqlite3_column_text(_stmt, column);
            return p is null ? throw new Microsoft.Data.Sqlite.SqliteException("SQLite could not convert a column to text (out of memory)", raw.SQLITE_NOMEM)
                : new ReadOnlySpan<byte>(p, sqlite3_column_bytes(_stmt, column));
        }

        /// <summary>The column's bytes; valid until the next step.</summary>
        public ReadOnlySpan<byte> Blob(int column)
        {
            var p = sqlite3_column_blob(_stmt, column);
            return p is null ? default : new ReadOnlySpan<byte>(p, sqlite3_column_bytes(_stmt, column));
        }
    }

    public const int Row = raw.SQLITE_ROW;
}
