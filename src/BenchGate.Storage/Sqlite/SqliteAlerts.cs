using Microsoft.Data.Sqlite;

namespace BenchGate.Storage.Sqlite;

/// <summary>One row of regression_alerts.</summary>
public sealed record Alert(long Id, string CreatedAt, string KeyHash, string Benchmark, string Metric, string? BaselineCommit, string? CurrentCommit,
    double? BaselineValue, double? CurrentValue, double? ChangePercent, double? CiLowPercent, double? CiHighPercent, double? ThresholdPercent,
    double? PValue, string Status, string? Notes, string? UpdatedAt);

/// <summary>The alerts of a results database: list, show, and mark as acknowledged, false_positive or fixed.</summary>
public sealed class SqliteAlerts(SqliteResultStore store)
{
    public static readonly IReadOnlyList<string> Statuses = ["open", "acknowledged", "false_positive", "fixed"];

    public List<Alert> List(string? status)
    {
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM regression_alerts WHERE $s IS NULL OR status = $s ORDER BY id";
        cmd.Parameters.AddWithValue("$s", (object?)status ?? DBNull.Value);
        return Read(cmd);
    }

    public Alert? Get(long id)
    {
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM regression_alerts WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        return Read(cmd).FirstOrDefault();
    }

    public Alert Mark(long id, string status, string? notes, DateTimeOffset now)
    {
        if (!Statuses.Contains(status))
        {
            throw new StoreException($"unknown status '{status}'; use one of {string.Join(", ", Statuses)}");
        }

        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = "UPDATE regression_alerts SET status = $s, notes = COALESCE($n, notes), updated_at = $at WHERE id = $id";
        cmd.Parameters.AddWithValue("$s", status);
        cmd.Parameters.AddWithValue("$n", (object?)notes ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$at", now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        cmd.Parameters.AddWithValue("$id", id);
        return cmd.ExecuteNonQuery() == 0 ? throw new StoreException($"{store.Location}: no alert with id {id}") : Get(id)!;
    }

    private const string Columns = "id, created_at, key_hash, benchmark, metric, baseline_commit, current_commit, baseline_value, current_value, change_pct, ci_low_pct, ci_high_pct, threshold_pct, p_value, status, notes, updated_at";

    private static List<Alert> Read(SqliteCommand cmd)
    {
        using var r = cmd.ExecuteReader();
        var list = new List<Alert>();
        while (r.Read())
        {
            list.Add(new Alert(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), S(r, 5), S(r, 6), D(r, 7), D(r, 8), D(r, 9), D(r, 10), D(r, 11), D(r, 12), D(r, 13), r.GetString(14), S(r, 15), S(r, 16)));
        }

        return list;
    }

    private static string? S(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static double? D(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
}
