using System.Data.Common;
using BenchGate.Storage.Shared;

namespace BenchGate.Storage;

/// <summary>One row of regression_alerts.</summary>
public sealed record Alert(long Id, string CreatedAt, string KeyHash, string Benchmark, string Metric, string? BaselineCommit, string? CurrentCommit,
    double? BaselineValue, double? CurrentValue, double? ChangePercent, double? CiLowPercent, double? CiHighPercent, double? ThresholdPercent,
    double? PValue, string Status, string? Notes, string? UpdatedAt);

/// <summary>The alerts of a results database (SQLite or PostgreSQL): list, show, and mark as acknowledged, false_positive or fixed.</summary>
public sealed class AlertLog
{
    public static readonly IReadOnlyList<string> Statuses = ["open", "acknowledged", "false_positive", "fixed"];

    private const string Columns = "id, created_at, key_hash, benchmark, metric, baseline_commit, current_commit, baseline_value, current_value, change_pct, ci_low_pct, ci_high_pct, threshold_pct, p_value, status, notes, updated_at";
    private readonly IAdoStore _store;

    /// <summary>Reading alerts never writes: a database that has no regression_alerts yet has no alerts.</summary>
    public AlertLog(IResultStore store)
    {
        _store = AdoStores.Of(store);
    }

    public List<Alert> List(string? status) => _store.Guard(() => !Exists() ? [] :
        AdoStores.Query(_store.Connection, null, $"SELECT {Columns} FROM regression_alerts WHERE CAST(@s AS TEXT) IS NULL OR status = @s ORDER BY id", Read, ("s", status)));

    public Alert? Get(long id) => _store.Guard(() => !Exists() ? null :
        AdoStores.Query(_store.Connection, null, $"SELECT {Columns} FROM regression_alerts WHERE id = @id", Read, ("id", id)).FirstOrDefault());

    private bool Exists() => RunArchive.TableExists(_store.Connection, "regression_alerts");

    public Alert Mark(long id, string status, string? notes, DateTimeOffset now)
    {
        if (!Statuses.Contains(status))
        {
            throw new StoreException($"unknown status '{status}'; use one of {string.Join(", ", Statuses)}");
        }

        if (_store.Guard(() => !Exists()))
        {
            throw new StoreException($"{_store.Location}: no alert with id {id} (it holds no alerts)");
        }

        var changed = _store.Guard(() => AdoStores.Execute(_store.Connection, null, "UPDATE regression_alerts SET status = @s, notes = COALESCE(CAST(@n AS TEXT), notes), updated_at = @at WHERE id = @id",
            ("s", status), ("n", notes), ("at", now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)), ("id", id)));
        return changed == 0 ? throw new StoreException($"{_store.Location}: no alert with id {id}") : Get(id)!;
    }

    private static Alert Read(DbDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), AdoStores.Text(r, 5), AdoStores.Text(r, 6), AdoStores.Real(r, 7),
            AdoStores.Real(r, 8), AdoStores.Real(r, 9), AdoStores.Real(r, 10), AdoStores.Real(r, 11), AdoStores.Real(r, 12), AdoStores.Real(r, 13), r.GetString(14),
            AdoStores.Text(r, 15), AdoStores.Text(r, 16));
}
