using System.Text.Json;
using BenchGate.Storage.Shared;

namespace BenchGate.Storage;

/// <summary>A row of performance_baselines: a named commit, or named runs when run_ids is set.</summary>
public sealed record SavedBaseline(long Id, string Name, string? CommitSha, string CreatedAt, IReadOnlyList<string> RunIds);

/// <summary>Finds saved baselines by name, newest active first (the spec's latest_baselines), in a SQLite file or on PostgreSQL.</summary>
public static class SavedBaselines
{
    public static SavedBaseline Find(string location, string name)
    {
        var shown = ResultStores.Describe(location);
        if (!StoreLocation.Of(location).Exists)
        {
            throw new InputException("no such file", input: location);
        }

        using var store = ResultStores.Open(location, create: false);
        var ado = AdoStores.Of(store);
        if (!ado.Guard(() => RunArchive.TableExists(ado.Connection, "performance_baselines")))
        {
            throw new InputException("has no performance_baselines table (run 'benchgate migrate' and save a baseline first)", input: shown);
        }

        try
        {
            var rows = ado.Guard(() => AdoStores.Query(ado.Connection, null, """
                SELECT id, baseline_name, commit_sha, created_at, run_ids FROM performance_baselines
                WHERE baseline_name = @n ORDER BY is_active DESC, created_at DESC, id DESC LIMIT 1
                """, r => (Id: r.GetInt64(0), Name: r.GetString(1), Commit: RunArchive.Str(r, 2), At: r.GetString(3), RunIds: RunArchive.Str(r, 4)), ("n", name)));
            if (rows.Count == 0)
            {
                var names = ado.Guard(() => AdoStores.Query(ado.Connection, null, "SELECT DISTINCT baseline_name FROM performance_baselines ORDER BY baseline_name", r => r.GetString(0)));
                throw new InputException($"no baseline named '{name}' (saved: {(names.Count == 0 ? "none" : string.Join(",", names))})", input: shown);
            }

            var b = rows[0];
            return new SavedBaseline(b.Id, b.Name, b.Commit, b.At, b.RunIds is null ? [] : RunIdsJson.Read(b.RunIds));
        }
        catch (JsonException)
        {
            throw new InputException($"baseline '{name}' has run_ids that are not a JSON array of run ids", input: shown);
        }
    }
}
