using System.Text;
using BenchGate.Model;
using Npgsql;

namespace BenchGate.Storage.Postgres;

/// <summary>
/// Brings a PostgreSQL database to the current schema in one transaction of its own, under an advisory lock so
/// that eight runners meeting an empty database at once apply each migration exactly once.
/// </summary>
internal static class PostgresMigrator
{
    public static int CurrentVersion(NpgsqlConnection c, NpgsqlTransaction? tx)
    {
        using var cmd = new NpgsqlCommand("SELECT to_regclass('benchgate_schema_version') IS NOT NULL", c, tx);
        if (!(bool)cmd.ExecuteScalar()!)
        {
            return 0;
        }

        cmd.CommandText = "SELECT COALESCE(MAX(version), 0) FROM benchgate_schema_version";
        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The statements that bring the database to the latest version.</summary>
    public static List<(string Comment, string Sql)> Plan(NpgsqlConnection? c, NpgsqlTransaction? tx, out List<string> addedColumns)
    {
        addedColumns = [];
        var version = c is null ? 0 : CurrentVersion(c, tx);
        if (version > PostgresSchema.LatestVersion)
        {
            throw new StoreException($"the database has schema version {version}, made by a newer BenchGate (this one knows up to {PostgresSchema.LatestVersion}); upgrade benchgate");
        }

        var plan = new List<(string, string)>();
        var missing = c is null ? [] : MissingColumns(c, tx);
        if (version == PostgresSchema.LatestVersion && c is not null && missing.Count == 0)
        {
            return plan;
        }

        plan.Add(("schema version table", PostgresSchema.VersionTable));
        foreach (var f in missing)
        {
            addedColumns.Add($"llama_bench.{f.Name}");
            plan.Add(($"llama_bench lacks {f.Name} (added by a newer llama-bench)", $"ALTER TABLE llama_bench ADD COLUMN IF NOT EXISTS {f.Name} {PostgresSchema.ColumnType(f)};"));
        }

        foreach (var m in PostgresSchema.Migrations.Where(m => m.Version > version))
        {
            plan.Add(($"migration {m.Version}: {m.Description}", m.Sql + "\n" + PostgresSchema.RecordVersion(m)));
        }

        return plan;
    }

    private static List<LlamaBenchField> MissingColumns(NpgsqlConnection c, NpgsqlTransaction? tx)
    {
        using var cmd = new NpgsqlCommand("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'llama_bench'", c, tx);
        using var r = cmd.ExecuteReader();
        var have = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (r.Read())
        {
            have.Add(r.GetString(0));
        }

        return have.Count == 0 ? [] : [.. LlamaBenchSchema.Fields.Where(f => !have.Contains(f.Name))];
    }

    /// <summary>Applies what is missing, committed on its own; returns the version before and what was applied.</summary>
    public static (int Before, List<string> Applied, List<string> AddedColumns) Apply(NpgsqlConnection c)
    {
        // Cheap check first: a migrated database needs no lock (the common case for every later command).
        if (Plan(c, null, out _).Count == 0)
        {
            var v = CurrentVersion(c, null);
            return (v, [], []);
        }

        using var tx = c.BeginTransaction();
        using (var lockCmd = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({PostgresSchema.MigrationLock})", c, tx))
        {
            lockCmd.ExecuteNonQuery();
        }

        var before = CurrentVersion(c, tx);
        var plan = Plan(c, tx, out var added);
        var applied = new List<string>();
        foreach (var (comment, sql) in plan)
        {
            using var cmd = new NpgsqlCommand(sql, c, tx);
            cmd.ExecuteNonQuery();
            if (comment.StartsWith("migration", StringComparison.Ordinal))
            {
                applied.Add(comment);
            }
        }

        tx.Commit();
        return (before, applied, added);
    }

    public static string ToScript(List<(string Comment, string Sql)> plan, string? forDatabase)
    {
        var sb = new StringBuilder();
        sb.AppendLine("-- BenchGate schema migration for PostgreSQL (the spec's scripts/db-schema-migration.sql).");
        sb.AppendLine(forDatabase is null ? "-- For an empty database." : $"-- For {forDatabase} as it is now.");
        sb.AppendLine("-- Apply with: psql -v ON_ERROR_STOP=1 -d DB -f migration.sql   (or: benchgate migrate -d postgres://...)");
        sb.AppendLine("BEGIN;");
        foreach (var (comment, sql) in plan)
        {
            sb.AppendLine().Append("-- ").AppendLine(comment).AppendLine(sql);
        }

        sb.AppendLine().AppendLine("COMMIT;");
        return sb.ToString();
    }

    public static string EmptyDatabaseScript() => ToScript(Plan(null, null, out _), null);
}
