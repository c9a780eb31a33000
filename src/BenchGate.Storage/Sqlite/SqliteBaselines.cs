using System.Text.Json;
using BenchGate.Ingest;
using Microsoft.Data.Sqlite;

namespace BenchGate.Storage.Sqlite;

/// <summary>A row of performance_baselines: a named commit, or named runs when run_ids is set.</summary>
public sealed record SavedBaseline(long Id, string Name, string? CommitSha, string CreatedAt, IReadOnlyList<string> RunIds);

/// <summary>Finds saved baselines by name, newest active first (the spec's latest_baselines).</summary>
public static class SqliteBaselines
{
    public static SavedBaseline Find(string path, string name)
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        using var c = new SqliteConnection(cs);
        try
        {
            c.Open();
            if (!SqliteRowReader.TableExists(c, "performance_baselines"))
            {
                throw new IngestException("has no performance_baselines table (run 'benchgate migrate' and save a baseline first)", source: path);
            }

            using var cmd = c.CreateCommand();
            cmd.CommandText = """
                SELECT id, baseline_name, commit_sha, created_at, run_ids FROM performance_baselines
                WHERE baseline_name = $n ORDER BY is_active DESC, created_at DESC, id DESC LIMIT 1
                """;
            cmd.Parameters.AddWithValue("$n", name);
            using var r = cmd.ExecuteReader();
            if (!r.Read())
            {
                r.Close();
                cmd.CommandText = "SELECT GROUP_CONCAT(DISTINCT baseline_name) FROM performance_baselines";
                throw new IngestException($"no baseline named '{name}' (saved: {cmd.ExecuteScalar() as string ?? "none"})", source: path);
            }

            var runIds = r.IsDBNull(4) ? [] : JsonSerializer.Deserialize<string[]>(r.GetString(4)) ?? [];
            return new SavedBaseline(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), runIds);
        }
        catch (SqliteException e)
        {
            throw new IngestException($"cannot read baselines: {e.Message}", source: path);
        }
        catch (JsonException)
        {
            throw new IngestException($"baseline '{name}' has run_ids that are not a JSON array of run ids", source: path);
        }
    }
}
