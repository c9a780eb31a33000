using System.Globalization;
using BenchGate.Storage.Shared;

namespace BenchGate.Storage;

/// <summary>A profile attached to an alert: when, of which builds, its one-line summary and its reports.</summary>
public sealed record AttachedProfile(long Id, long AlertId, string CreatedAt, string BaselineBench, string NewBench, string Args, string Summary,
    string Markdown, string Json);

/// <summary>
/// benchgate_profiles (SQLite or PostgreSQL): the perf profiles of a regression, kept with its alert so that whoever
/// reads the alert sees where the time went.
/// </summary>
public sealed class ProfileLog(IResultStore store)
{
    private const string Columns = "id, alert_id, created_at, baseline_bench, new_bench, args, summary, report_md, report_json";
    private readonly IAdoStore _store = AdoStores.Of(store);

    /// <summary>Stores a profile with its alert, in one transaction; the alert must exist.</summary>
    public long Attach(long alertId, string baselineBench, string newBench, string args, string summary, string markdown, string json, DateTimeOffset now)
    {
        if (new AlertLog(store).Get(alertId) is null)
        {
            throw new StoreException($"{_store.Location}: no alert with id {alertId}");
        }

        _store.EnsureMigrated();
        return _store.Guard(() =>
        {
            using var tx = _store.Connection.BeginTransaction();
            var id = AdoStores.ScalarInt64(_store.Connection, tx, $"""
                INSERT INTO benchgate_profiles (alert_id, created_at, baseline_bench, new_bench, args, summary, report_md, report_json)
                VALUES (@a, @at, @b, @n, @args, @s, @md, @json) RETURNING id
                """, ("a", alertId), ("at", now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)), ("b", baselineBench),
                ("n", newBench), ("args", args), ("s", summary), ("md", markdown), ("json", json));
            tx.Commit();
            return id;
        });
    }

    /// <summary>An alert's profiles, oldest first (none where the database has never stored one).</summary>
    public List<AttachedProfile> ForAlert(long alertId) => _store.Guard(() => !RunArchive.TableExists(_store.Connection, "benchgate_profiles") ? [] :
        AdoStores.Query(_store.Connection, null, $"SELECT {Columns} FROM benchgate_profiles WHERE alert_id = @a ORDER BY id",
            r => new AttachedProfile(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
                r.GetString(7), r.GetString(8)),
            ("a", alertId)));
}
