using System.Text;
using BenchGate.Model;
using BenchGate.Storage.Shared;
using Microsoft.Data.Sqlite;

namespace BenchGate.Storage.Sqlite;

/// <summary>
/// Brings a database to the current schema: repairs an existing llama_bench table (columns newer
/// llama-bench versions added, our link column), then applies the versioned migrations not yet
/// recorded in benchgate_schema_version. Every step is idempotent and runs in the caller's transaction.
/// </summary>
internal static class SqliteMigrator
{
    public static int CurrentVersion(SqliteConnection c, SqliteTransaction? tx)
    {
        if (!SqliteRowReader.TableExists(c, "benchgate_schema_version", tx))
        {
            return 0;
        }

        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT COALESCE(MAX(version), 0) FROM benchgate_schema_version";
        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The statements that bring this database (or an empty one) to the latest version, with comments.</summary>
    public static List<(string Comment, string Sql)> Plan(SqliteConnection? c, SqliteTransaction? tx, out List<string> addedColumns)
    {
        addedColumns = [];
        var version = c is null ? 0 : CurrentVersion(c, tx);
        if (version > Schema.LatestVersion)
        {
            throw new StoreException($"the database has schema version {version}, made by a newer BenchGate (this one knows up to {Schema.LatestVersion}); upgrade benchgate");
        }

        var plan = new List<(string, string)> { ("schema version table", Schema.VersionTable) };
        if (c is not null)
        {
            foreach (var (table, wanted) in ColumnRepairs())
            {
                if (!SqliteRowReader.TableExists(c, table, tx))
                {
                    continue;
                }

                var have = SqliteRowReader.Columns(c, table, tx).ToHashSet(StringComparer.OrdinalIgnoreCase);
                foreach (var (name, type) in wanted.Where(w => !have.Contains(w.Name)))
                {
                    addedColumns.Add($"{table}.{name}");
                    plan.Add(($"{table} lacks {name} (written by an older llama-bench)", $"ALTER TABLE {table} ADD COLUMN {name} {type};"));
                }
            }
        }

        foreach (var m in Schema.Migrations.Where(m => m.Version > version))
        {
            plan.Add(($"migration {m.Version}: {m.Description}", m.Sql + "\n" + Schema.RecordVersion(m)));
        }

        return plan;
    }

    /// <summary>Columns an existing table must have: llama_bench needs every current field and our link; test only the link.</summary>
    private static IEnumerable<(string Table, List<(string Name, string Type)> Columns)> ColumnRepairs()
    {
        var llamaBench = LlamaBenchSchema.Fields.Select(f => (f.Name, f.SqlType)).ToList();
        llamaBench.Add((Schema.LinkColumn, "INTEGER"));
        yield return (LlamaBenchSchema.TableName, llamaBench);
        yield return (LlamaBenchSchema.LegacyTableName, [(Schema.LinkColumn, "INTEGER")]);
    }

    public static (int Before, List<string> Applied, List<string> AddedColumns) Apply(SqliteConnection c, SqliteTransaction tx)
    {
        var before = CurrentVersion(c, tx);
        var plan = Plan(c, tx, out var added);
        var applied = new List<string>();
        foreach (var (comment, sql) in plan)
        {
            using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            cmd.ExecuteNonQuery();
            if (comment.StartsWith("migration", StringComparison.Ordinal))
            {
                applied.Add(comment);
            }
        }

        return (before, applied, added);
    }

    public static string ToScript(List<(string Comment, string Sql)> plan, string? forDatabase)
    {
        var sb = new StringBuilder();
        sb.AppendLine("-- BenchGate schema migration (the spec's scripts/db-schema-migration.sql).");
        sb.AppendLine(forDatabase is null
            ? "-- For an empty database. For a database that llama-bench already wrote, print it with -d <that.sqlite>:\n-- older llama_bench tables need ALTER TABLE statements that depend on their columns."
            : $"-- For {forDatabase} as it is now.");
        sb.AppendLine("-- Apply with: sqlite3 results.sqlite < migration.sql   (or: benchgate migrate -d results.sqlite)");
        sb.AppendLine("BEGIN;");
        foreach (var (comment, sql) in plan)
        {
            sb.AppendLine().Append("-- ").AppendLine(comment).AppendLine(sql);
        }

        sb.AppendLine().AppendLine("COMMIT;");
        return sb.ToString();
    }
}
