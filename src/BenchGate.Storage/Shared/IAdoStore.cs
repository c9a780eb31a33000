using System.Data.Common;

namespace BenchGate.Storage.Shared;

/// <summary>
/// What the portable parts of storage (alerts, memory log, baselines, run archive, sync) need of a store: both
/// backends speak ADO.NET, and these parts use only SQL that SQLite and PostgreSQL read alike (@name parameters).
/// </summary>
internal interface IAdoStore
{
    DbConnection Connection { get; }

    string Location { get; }

    bool IsPostgres { get; }

    /// <summary>Applies the migrations once per process.</summary>
    void EnsureMigrated();

    /// <summary>Runs a database action, turning the driver's exceptions into <see cref="StoreException"/>s.</summary>
    T Guard<T>(Func<T> action);

    /// <summary>
    /// A write transaction for copying whole runs in (a baseline saved from another database): SQLite's adopts llama-bench's
    /// own rows first and then writes without the adopting wrapper, which would re-read each row.
    /// </summary>
    IIngestTransaction BeginCopy();

    /// <summary>detect's history and alerts in this store.</summary>
    Detection.IDetectionStore Detection();

    /// <summary>Writes a SQLite file holding only this baseline when the store can do it in place; false: copy run by run.</summary>
    bool TryExportBaseline(BaselineInfo baseline, string outputPath);
}

/// <summary>An ingest transaction's connection and transaction, for rows written beside the runs (a baseline's row).</summary>
internal interface IAdoTransaction
{
    DbConnection Connection { get; }

    DbTransaction Transaction { get; }
}

internal static class AdoStores
{
    public static IAdoStore Of(IResultStore store) =>
        store as IAdoStore ?? throw new InvalidOperationException($"{store.GetType().Name} is not an ADO.NET store");

    public static int Execute(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = RunArchive.Command(c, sql, args);
        cmd.Transaction = tx;
        return cmd.ExecuteNonQuery();
    }

    public static object? Scalar(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = RunArchive.Command(c, sql, args);
        cmd.Transaction = tx;
        var v = cmd.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    /// <summary>A count or an id: the one value of <paramref name="sql"/> as a long.</summary>
    public static long ScalarInt64(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] args) =>
        Convert.ToInt64(Scalar(c, tx, sql, args), System.Globalization.CultureInfo.InvariantCulture);

    public static List<T> Query<T>(DbConnection c, DbTransaction? tx, string sql, Func<DbDataReader, T> map, params (string Name, object? Value)[] args)
    {
        using var cmd = RunArchive.Command(c, sql, args);
        cmd.Transaction = tx;
        using var r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read())
        {
            list.Add(map(r));
        }

        return list;
    }

    /// <summary>A nullable text column.</summary>
    public static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    /// <summary>A nullable real column.</summary>
    public static double? Real(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);

    /// <summary>A value for a parameter: nulls and non-finite numbers are stored as NULL.</summary>
    public static object? Value(object? v) => v switch
    {
        null => null,
        double d when !double.IsFinite(d) => null,
        _ => v,
    };
}
