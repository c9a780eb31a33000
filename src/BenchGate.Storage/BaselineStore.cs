using System.Data.Common;
using System.Globalization;
using BenchGate.Detection;
using BenchGate.Ingest;
using BenchGate.Storage.Shared;
using BenchGate.Storage.Sqlite;

namespace BenchGate.Storage;

/// <summary>A saved baseline with what it holds.</summary>
public sealed record BaselineInfo(long Id, string Name, string? CommitSha, string CreatedAt, string? Branch, string? Machine, string? Description,
    bool IsActive, IReadOnlyList<string> RunIds, long Rows);

/// <summary>
/// The spec's performance_baselines, managed, in a SQLite file or on PostgreSQL: a saved baseline names a fixed
/// set of runs (run_ids), so later ingests of the same commit never change it; saved from another database, its
/// runs are copied in first. Rows inserted by hand (the spec's manual flow: name, commit, time) show too; they
/// stand for their commit's runs.
/// </summary>
public sealed class BaselineStore(IResultStore store, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly IAdoStore _ado = AdoStores.Of(store);

    public BaselineInfo Save(string name, string? commit, string? fromPath, string? branch, string? machine, string? description)
    {
        _ado.EnsureMigrated();
        if (Find(name) is not null)
        {
            throw new StoreException($"{store.Location}: a baseline named '{name}' exists already; delete it first (benchgate baseline delete {name} --yes) or choose another name");
        }

        using var tx = _ado.BeginCopy();
        var ado = (IAdoTransaction)tx;
        var copying = fromPath is not null && !SameLocation(fromPath, store.Location);
        List<string> runIds;
        if (copying)
        {
            // The runs of the commit as detect finds them: by the commit they were stored under (ingest --commit) or by
            // llama-bench's build_commit, a prefix either way.
            var side = StoredSides.LoadComplete(fromPath!, commit);
            if (commit is null)
            {
                side = SideSelection.NewestCommit(side, "--from", "--commit").Side;
                commit = side.Runs[^1].Commit;
            }

            var chosen = side.Runs.SelectMany(r => r.Records).ToList();
            var outcome = new Ingestor(tx, new SqliteDatabaseFileReader()).IngestRecords($"baseline {name}: {ResultStores.Describe(fromPath!)} @ {commit}", InputFormat.Sqlite, chosen,
                $"baseline:{name}:{Guid.NewGuid():N}", new IngestOptions(Commit: commit, Branch: branch, Machine: machine));
            runIds = [.. outcome.RunIds];
            // The runs' peak memory comes along (under their commit), so that detect compares a pull request's with it. A
            // file (jsonl, csv…) has none.
            if (StoreLocation.Of(fromPath!).IsDatabase)
            {
                using var source = ResultStores.Open(fromPath!, create: false);
                MemoryLog.CopyPeaks(source, side.Runs.Select(r => r.RunId).ToHashSet(StringComparer.Ordinal), ado.Connection, ado.Transaction);
            }
        }
        else
        {
            commit ??= _ado.Guard(() => AdoStores.Scalar(ado.Connection, ado.Transaction, "SELECT COALESCE(commit_sha, build_commit) FROM benchgate_runs ORDER BY run_seq DESC LIMIT 1") as string);
            runIds = RunIdsOf(ado.Transaction, commit);
            if (runIds.Count == 0)
            {
                throw new StoreException($"{store.Location}: no runs of commit '{commit}' to save as baseline '{name}'");
            }
        }

        var now = _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        _ado.Guard(() =>
        {
            AdoStores.Execute(ado.Connection, ado.Transaction, """
                UPDATE performance_baselines SET is_active = 0
                WHERE is_active = 1 AND COALESCE(branch, '') = COALESCE(CAST(@b AS TEXT), '') AND COALESCE(machine, '') = COALESCE(CAST(@m AS TEXT), '')
                """, ("b", branch), ("m", machine));
            return AdoStores.Execute(ado.Connection, ado.Transaction, """
                INSERT INTO performance_baselines (baseline_name, commit_sha, created_at, branch, machine, description, is_active, run_ids)
                VALUES (@n, @c, @at, @b, @m, @d, 1, @r)
                """, ("n", name), ("c", commit), ("at", now), ("b", branch), ("m", machine), ("d", description), ("r", RunIdsJson.Write(runIds)));
        });
        tx.Commit();
        return Find(name)!;
    }

    /// <summary>The saved baselines (reading never writes: a database without performance_baselines has none).</summary>
    public List<BaselineInfo> List()
    {
        if (!_ado.Guard(() => RunArchive.TableExists(_ado.Connection, "performance_baselines")))
        {
            return [];
        }

        var ids = _ado.Guard(() => AdoStores.Query(_ado.Connection, null, "SELECT id FROM performance_baselines ORDER BY created_at, id", r => r.GetInt64(0)));
        return [.. ids.Select(Load)];
    }

    public BaselineInfo? Find(string name)
    {
        if (!_ado.Guard(() => RunArchive.TableExists(_ado.Connection, "performance_baselines")))
        {
            return null;
        }

        return _ado.Guard(() => AdoStores.Scalar(_ado.Connection, null,
            "SELECT id FROM performance_baselines WHERE baseline_name = @n ORDER BY is_active DESC, created_at DESC, id DESC LIMIT 1", ("n", name))) is { } id
            ? Load(Convert.ToInt64(id, CultureInfo.InvariantCulture))
            : null;
    }

    public BaselineInfo Activate(string name)
    {
        var b = Find(name) ?? throw NotFound(name);
        _ado.Guard(() =>
        {
            using var tx = _ado.Connection.BeginTransaction();
            AdoStores.Execute(_ado.Connection, tx, """
                UPDATE performance_baselines SET is_active = CASE WHEN id = @id THEN 1 ELSE 0 END
                WHERE id = @id OR (COALESCE(branch, '') = COALESCE(CAST(@b AS TEXT), '') AND COALESCE(machine, '') = COALESCE(CAST(@m AS TEXT), ''))
                """, ("id", b.Id), ("b", b.Branch), ("m", b.Machine));
            tx.Commit();
            return 0;
        });
        return Find(name)!;
    }

    /// <summary>Removes the baseline's row(s); its runs stay, as the ordinary history they also are.</summary>
    public int Delete(string name)
    {
        _ = Find(name) ?? throw NotFound(name);
        return _ado.Guard(() => AdoStores.Execute(_ado.Connection, null, "DELETE FROM performance_baselines WHERE baseline_name = @n", ("n", name)));
    }

    /// <summary>A SQLite database holding only this baseline: its runs, rows, samples and keys, and its row.</summary>
    public void Export(string name, string outputPath)
    {
        var b = Find(name) ?? throw NotFound(name);
        if (File.Exists(outputPath))
        {
            throw new StoreException($"{outputPath}: exists already; choose another file");
        }

        if (_ado.TryExportBaseline(b, outputPath))
        {
            return;
        }

        using var copy = SqliteResultStore.Open(outputPath, create: true);
        try
        {
            RunCopier.Copy(store, copy, b.RunIds.ToHashSet(StringComparer.Ordinal));
            using var tx = copy.Connection.BeginTransaction();
            AdoStores.Execute(copy.Connection, tx, """
                INSERT INTO performance_baselines (baseline_name, commit_sha, created_at, branch, machine, description, is_active, run_ids)
                VALUES (@n, @c, @at, @b, @m, @d, 1, @r)
                """, ("n", b.Name), ("c", b.CommitSha), ("at", b.CreatedAt), ("b", b.Branch), ("m", b.Machine), ("d", b.Description), ("r", RunIdsJson.Write(b.RunIds)));
            tx.Commit();
        }
        catch
        {
            copy.Dispose();
            File.Delete(outputPath);
            throw;
        }
    }

    private BaselineInfo Load(long id) => _ado.Guard(() =>
    {
        var row = AdoStores.Query(_ado.Connection, null,
            "SELECT baseline_name, commit_sha, created_at, branch, machine, description, is_active, run_ids FROM performance_baselines WHERE id = @id",
            r => (Name: r.GetString(0), Commit: S(r, 1), At: r.GetString(2), Branch: S(r, 3), Machine: S(r, 4), Description: S(r, 5), Active: r.GetInt64(6) == 1, RunIds: S(r, 7)),
            ("id", id))[0];
        IReadOnlyList<string> runIds = row.RunIds is null ? RunIdsOf(null, row.Commit) : RunIdsJson.Read(row.RunIds);
        return new BaselineInfo(id, row.Name, row.Commit, row.At, row.Branch, row.Machine, row.Description, row.Active, runIds, RowsOf(runIds));
    });

    /// <summary>Runs of a commit (full or short hash, matched by prefix either way).</summary>
    private List<string> RunIdsOf(DbTransaction? tx, string? commit) => commit is null ? [] : AdoStores.Query(_ado.Connection, tx, """
        SELECT run_id FROM benchgate_runs
        WHERE commit_sha LIKE @c || '%' OR build_commit LIKE @c || '%' OR @c LIKE build_commit || '%' OR @c LIKE commit_sha || '%'
        ORDER BY run_seq
        """, r => r.GetString(0), ("c", commit));

    // Only the baseline's runs: `baseline list` asks this of every baseline, and a history holds thousands of runs.
    private long RowsOf(IReadOnlyList<string> runIds)
    {
        if (runIds.Count == 0)
        {
            return 0;
        }

        var names = runIds.Select((_, i) => "r" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        return AdoStores.ScalarInt64(_ado.Connection, null, $"SELECT COALESCE(SUM(row_count), 0) FROM benchgate_runs WHERE run_id IN ({string.Join(", ", names.Select(n => "@" + n))})",
            [.. names.Zip(runIds, (n, id) => (n, (object?)id))]);
    }

    // The store's Location is how it names itself (a server without its password), which StoreLocation reads alike.
    private static bool SameLocation(string a, string b) => StoreLocation.Of(a).SameAs(StoreLocation.Of(b));

    private StoreException NotFound(string name)
    {
        var names = List().Select(b => b.Name).Distinct().ToList();
        return new StoreException($"{store.Location}: no baseline named '{name}' (saved: {(names.Count == 0 ? "none" : string.Join(", ", names))})");
    }

    private static string? S(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
