using System.Data.Common;
using System.Globalization;
using BenchGate.Bisect;
using BenchGate.Storage.Shared;

namespace BenchGate.Storage;

/// <summary>
/// bisect's cache in benchgate_bisect_verdicts (SQLite or PostgreSQL): the verdicts of one bisection, named by a key
/// that hashes everything that makes two bisections the same. Each verdict is written in its own transaction as soon
/// as it is known, so an interrupted bisection keeps what it measured.
/// </summary>
public sealed class BisectVerdicts : IBisectCache
{
    private const string Columns = "benchmark, verdict, confident, p_value, rounds, position, from_good, from_good_se, degrees_of_freedom, ends_change, detail";
    private readonly IAdoStore _store;
    private readonly string _key;
    private readonly Func<DateTimeOffset> _now;

    public BisectVerdicts(IResultStore store, string bisectKey, Func<DateTimeOffset> now)
    {
        _store = AdoStores.Of(store);
        _store.EnsureMigrated();
        _key = bisectKey;
        _now = now;
    }

    public (string Benchmark, ProbeVerdict Change)? Ends() =>
        Read(Role.Ends, null) is { } row ? (row.Benchmark ?? "", row.Verdict) : null;

    public void SaveEnds(string benchmark, ProbeVerdict change) => Save(Role.Ends, "", benchmark, change);

    public ProbeVerdict? Probe(string commit) => Read(Role.Probe, commit)?.Verdict;

    public void SaveProbe(string commit, ProbeVerdict verdict) => Save(Role.Probe, commit, null, verdict);

    private enum Role
    {
        Ends,
        Probe,
    }

    private (string? Benchmark, ProbeVerdict Verdict)? Read(Role role, string? commit) => _store.Guard(() => AdoStores.Query(_store.Connection, null,
        $"SELECT {Columns} FROM benchgate_bisect_verdicts WHERE bisect_key = @k AND role = @r AND commit_sha = @c",
        r => ((string?)(r.IsDBNull(0) ? null : r.GetString(0)), new ProbeVerdict(
            r.GetString(1) switch { "good" => ProbeState.Good, "bad" => ProbeState.Bad, _ => ProbeState.Skipped },
            r.GetInt64(2) == 1, Number(r, 3), (int)r.GetInt64(4), Number(r, 5), Number(r, 6), Number(r, 7), r.IsDBNull(8) ? 0 : r.GetDouble(8), Number(r, 9),
            r.IsDBNull(10) ? null : r.GetString(10))),
        ("k", _key), ("r", Name(role)), ("c", commit ?? "")).Cast<(string?, ProbeVerdict)?>().FirstOrDefault());

    private void Save(Role role, string commit, string? benchmark, ProbeVerdict v) => _store.Guard(() =>
    {
        using var tx = _store.Connection.BeginTransaction();
        AdoStores.Execute(_store.Connection, tx, "DELETE FROM benchgate_bisect_verdicts WHERE bisect_key = @k AND role = @r AND commit_sha = @c",
            ("k", _key), ("r", Name(role)), ("c", commit));
        AdoStores.Execute(_store.Connection, tx, $"""
            INSERT INTO benchgate_bisect_verdicts (bisect_key, commit_sha, role, {Columns}, created_at)
            VALUES (@k, @c, @r, @b, @v, @conf, @p, @n, @pos, @fg, @se, @df, @ends, @d, @at)
            """, ("k", _key), ("c", commit), ("r", Name(role)), ("b", benchmark), ("v", v.State.ToString().ToLowerInvariant()), ("conf", v.Confident ? 1L : 0L),
            ("p", AdoStores.Value(v.PValue)), ("n", (long)v.Rounds), ("pos", AdoStores.Value(v.Position)), ("fg", AdoStores.Value(v.FromGood)), ("se", AdoStores.Value(v.FromGoodSe)),
            ("df", AdoStores.Value(v.DegreesOfFreedom)), ("ends", AdoStores.Value(v.EndsChange)), ("d", v.Detail),
            ("at", _now().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));
        tx.Commit();
        return 0;
    });

    private static string Name(Role role) => role == Role.Ends ? "ends" : "probe";

    // A value that was not finite was stored as NULL (PostgreSQL's REAL and SQLite's differ on NaN): it reads back as NaN.
    private static double Number(DbDataReader r, int i) => r.IsDBNull(i) ? double.NaN : r.GetDouble(i);
}
