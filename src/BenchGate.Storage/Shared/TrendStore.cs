using System.Data.Common;
using System.Globalization;
using BenchGate.Detection;
using BenchGate.Trend;

namespace BenchGate.Storage.Shared;

/// <summary>
/// What trend reads from and writes to a results database (SQLite or PostgreSQL): the stored runs with their machine and
/// branch, each series' analysis state (for the incremental analysis), the change points found and their alerts.
/// </summary>
public sealed class TrendStore
{
    private readonly IAdoStore _store;

    public TrendStore(IResultStore store)
    {
        _store = AdoStores.Of(store);
    }

    /// <summary>Runs in storage order, optionally of one branch or machine, with only the columns trend uses.</summary>
    public List<TrendRun> Runs(string? branch, string? machine)
    {
        var runs = new List<TrendRun>();
        Stream(branch, machine).Read(runs.Add);
        return runs;
    }

    /// <summary>The same runs handed over one at a time as they are read (trend keeps its points, not the runs).</summary>
    public ITrendRuns Stream(string? branch, string? machine) => new StoredRuns(this, BranchAndMachine, branch, machine);

    /// <summary>The runs of exactly one branch (null: runs stored without a branch), optionally of one machine, one at a time.</summary>
    public ITrendRuns StreamBranch(string? branch, string? machine) =>
        new StoredRuns(this, $"WHERE {(branch is null ? "ru.branch IS NULL AND CAST(@b AS TEXT) IS NULL" : "ru.branch = @b")} AND (CAST(@m AS TEXT) IS NULL OR ru.machine = @m)", branch, machine);

    /// <summary>Whether any run with results is stored, optionally of one branch or machine.</summary>
    public bool HasRuns(string? branch, string? machine) => _store.Guard(() => Exists("benchgate_runs") && AdoStores.Scalar(_store.Connection, null,
        $"SELECT 1 FROM benchgate_runs ru {BranchAndMachine} AND {WithResults} LIMIT 1", ("b", branch), ("m", machine)) is not null);

    /// <summary>The branches of the stored runs with results (null for runs on no branch), optionally of one branch or machine, in ordinal order.</summary>
    public List<string?> Branches(string? branch, string? machine) => _store.Guard(() => !Exists("benchgate_runs") ? [] :
        AdoStores.Query(_store.Connection, null, $"SELECT DISTINCT ru.branch FROM benchgate_runs ru {BranchAndMachine} AND {WithResults}", r => r.IsDBNull(0) ? null : r.GetString(0),
            ("b", branch), ("m", machine)).OrderBy(b => b, StringComparer.Ordinal).ToList());

    private const string BranchAndMachine = "WHERE (CAST(@b AS TEXT) IS NULL OR ru.branch = @b) AND (CAST(@m AS TEXT) IS NULL OR ru.machine = @m)";

    private const string WithResults = "EXISTS (SELECT 1 FROM benchgate_results r WHERE r.run_seq = ru.run_seq)";

    /// <remarks>
    /// <paramref name="run"/> is called while the results are still being read: it must not use this store (PostgreSQL runs
    /// one command at a time on a connection).
    /// </remarks>
    private void Read(string where, string? branch, string? machine, Action<TrendRun> run) => _store.Guard(() =>
    {
        if (!Exists("benchgate_runs"))
        {
            return 0;
        }

        // Read before the results: a run stored in between has no row here and is left out, as if read a moment earlier.
        var meta = RunArchive.Runs(_store.Connection).ToDictionary(r => r.RunId, StringComparer.Ordinal);
        RunArchive.Stream(_store.Connection, RunArchive.DetectFields, where, r =>
        {
            if (meta.TryGetValue(r.RunId, out var m))
            {
                run(new TrendRun(r with { Commit = r.Commit ?? m.BuildCommit }, m.Machine, m.Branch));
            }
        }, ("b", branch), ("m", machine));
        return 0;
    });

    private sealed class StoredRuns(TrendStore store, string where, string? branch, string? machine) : ITrendRuns
    {
        public void Read(Action<TrendRun> run) => store.Read(where, branch, machine, run);
    }

    /// <summary>Whether the database has BenchGate's run archive (an unconverted llama-bench database has only llama_bench).</summary>
    public bool HasRunArchive() => _store.Guard(() => Exists("benchgate_runs"));

    /// <summary>Whether the database holds llama-bench's own table (llama_bench, or test before 2025-08).</summary>
    public bool HasLlamaBenchTable() => _store.Guard(() => Exists("llama_bench") || Exists("test"));

    /// <summary>Each series' state, by series id (none before the first trend).</summary>
    public Dictionary<string, TrendState> States() => _store.Guard(() => !Exists("benchgate_trend_state") ? [] :
        AdoStores.Query(_store.Connection, null, "SELECT series_id, points, last_commit, candidates FROM benchgate_trend_state",
            r => (Id: r.GetString(0), State: new TrendState((int)r.GetInt64(1), r.GetString(2), RunIdsJson.Read(r.GetString(3)))))
        .ToDictionary(x => x.Id, x => x.State, StringComparer.Ordinal));

    /// <summary>Every change point stored, with its alert's status.</summary>
    public List<StoredChangePoint> ChangePoints() => _store.Guard(() => !Exists("benchgate_change_points") ? [] :
        AdoStores.Query(_store.Connection, null, """
            SELECT c.id, c.series_id, c.commit_sha, c.change_pct, c.alert_id, a.status, c.previous_commit, c.suspected_cause
            FROM benchgate_change_points c LEFT JOIN regression_alerts a ON a.id = c.alert_id ORDER BY c.id
            """, r => new StoredChangePoint(r.GetInt64(0), r.GetString(1), r.GetString(2), !r.IsDBNull(3) && r.GetDouble(3) > 0,
                r.IsDBNull(4) ? null : r.GetInt64(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6),
                r.GetString(7) == "machine" ? SuspectedCause.Machine : SuspectedCause.Code)));

    /// <summary>
    /// Stores, in one transaction, every series' state, the change points (new rows, or the rows they continue updated) and
    /// one alert for each new regression change point. Returns the report with the new alerts' ids.
    /// </summary>
    public TrendReport Save(TrendReport report, IReadOnlyDictionary<TrendChangePoint, long> continues, IEnumerable<(TrendSeries Series, TrendState State)> states) => _store.Guard(() =>
    {
        _store.EnsureMigrated();
        var c = _store.Connection;
        using var tx = c.BeginTransaction();
        if (_store.IsPostgres)
        {
            // Two trends saving at once (two CI jobs on one history): one after the other, each sees the other's change points.
            AdoStores.Execute(c, tx, $"SELECT pg_advisory_xact_lock({TrendLock})");
        }

        var now = report.Generated.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        foreach (var (series, state) in states)
        {
            AdoStores.Execute(c, tx, "DELETE FROM benchgate_trend_state WHERE series_id = @id", ("id", series.Id));
            AdoStores.Execute(c, tx, """
                INSERT INTO benchgate_trend_state (series_id, key_hash, metric, machine, branch, points, last_commit, candidates, updated_at)
                VALUES (@id, @k, @m, @mach, @br, @n, @last, @cand, @at)
                """, ("id", series.Id), ("k", series.Key.Hash), ("m", series.Metric.Name), ("mach", series.Machine), ("br", series.Branch), ("n", (long)state.Points),
                ("last", state.LastCommit), ("cand", RunIdsJson.Write(state.Candidates)), ("at", now));
        }

        var updated = new List<SeriesTrend>(report.Series.Count);
        foreach (var s in report.Series)
        {
            var marked = new List<TrendChangePoint>(s.ChangePoints.Count);
            foreach (var cp in s.ChangePoints)
            {
                if (continues.TryGetValue(cp, out var row))
                {
                    marked.Add(Update(c, tx, row, cp, now));
                    continue;
                }

                // Stored meanwhile by another trend (read before it saved): the same change point, not a second alert.
                var stored = AdoStores.Query(c, tx, "SELECT id, alert_id FROM benchgate_change_points WHERE series_id = @s AND commit_sha = @c AND verdict = @v",
                    r => (Id: r.GetInt64(0), Alert: r.IsDBNull(1) ? (long?)null : r.GetInt64(1)),
                    ("s", s.Series.Id), ("c", cp.Commit), ("v", cp.Verdict == Verdict.Regression ? "regression" : "improvement")).FirstOrDefault();
                marked.Add(stored.Id != 0 ? Update(c, tx, stored.Id, cp with { NewAlert = false, AlertId = stored.Alert }, now) : Insert(c, tx, s, cp, now));
            }

            updated.Add(s with { ChangePoints = marked });
        }

        tx.Commit();
        return report with { Series = updated };
    });

    private static TrendChangePoint Update(DbConnection c, DbTransaction tx, long row, TrendChangePoint cp, string now)
    {
        AdoStores.Execute(c, tx, """
            UPDATE benchgate_change_points SET commit_sha = @c, previous_commit = @p, change_pct = @chg, ci_low_pct = @lo, ci_high_pct = @hi, p_value = @pv,
              suspected_cause = @cause, evidence = @ev, last_seen_at = @at WHERE id = @id
            """, Args(cp, now).Append(("id", row)).ToArray());
        return cp;
    }

    private static TrendChangePoint Insert(DbConnection c, DbTransaction tx, SeriesTrend s, TrendChangePoint cp, string now)
    {
        long? alert = null;
        if (cp.NewAlert)
        {
            var notes = $"change point found by benchgate trend on {s.Series.Machine ?? "an unnamed machine"}"
                + (cp.Cause == SuspectedCause.Machine ? $"; suspected cause: the machine. {cp.Evidence}" : "");
            alert = AdoStores.ScalarInt64(c, tx, """
                INSERT INTO regression_alerts (created_at, key_hash, benchmark, metric, baseline_commit, current_commit, baseline_value, current_value,
                  change_pct, ci_low_pct, ci_high_pct, threshold_pct, p_value, verdict, status, notes)
                VALUES (@at, @k, @b, @m, @pc, @c, NULL, NULL, @chg, @lo, @hi, @t, @pv, 'regression', 'open', @notes) RETURNING id
                """, ("at", now), ("k", s.Series.Key.Hash), ("b", s.Series.Title), ("m", s.Series.Metric.Name), ("pc", cp.PreviousCommit), ("c", cp.Commit),
                ("chg", AdoStores.Value(cp.ChangePercent)), ("lo", AdoStores.Value(cp.CiLowPercent)), ("hi", AdoStores.Value(cp.CiHighPercent)),
                ("t", s.ThresholdPercent), ("pv", AdoStores.Value(cp.PValue)), ("notes", notes));
        }

        AdoStores.Execute(c, tx, """
            INSERT INTO benchgate_change_points (series_id, key_hash, benchmark, metric, machine, branch, commit_sha, previous_commit, change_pct, ci_low_pct, ci_high_pct,
              p_value, verdict, suspected_cause, evidence, alert_id, first_seen_at, last_seen_at)
            VALUES (@sid, @k, @b, @m, @mach, @br, @c, @p, @chg, @lo, @hi, @pv, @v, @cause, @ev, @alert, @at, @at)
            """, [.. Args(cp, now), ("sid", s.Series.Id), ("k", s.Series.Key.Hash), ("b", s.Series.Title), ("m", s.Series.Metric.Name), ("mach", s.Series.Machine),
                ("br", s.Series.Branch), ("v", cp.Verdict == Verdict.Regression ? "regression" : "improvement"), ("alert", alert)]);
        return cp with { AlertId = alert };
    }

    private static IEnumerable<(string, object?)> Args(TrendChangePoint cp, string now) =>
    [
        ("c", cp.Commit), ("p", cp.PreviousCommit), ("chg", AdoStores.Value(cp.ChangePercent)), ("lo", AdoStores.Value(cp.CiLowPercent)),
        ("hi", AdoStores.Value(cp.CiHighPercent)), ("pv", AdoStores.Value(cp.PValue)), ("cause", cp.Cause == SuspectedCause.Machine ? "machine" : "code"),
        ("ev", cp.Evidence), ("at", now),
    ];

    private bool Exists(string table) => RunArchive.TableExists(_store.Connection, table);

    /// <summary>The advisory lock of trend's save on PostgreSQL ("BGtrend!").</summary>
    private const long TrendLock = 0x42477472656e6421;
}
