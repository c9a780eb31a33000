using System.Data.Common;
using System.Globalization;

namespace BenchGate.Storage.Shared;

/// <summary>The sources and run ids of an ingest, written and read alike by the SQLite and PostgreSQL transactions.</summary>
internal static class IngestSources
{
    /// <summary>The earlier complete ingest of a source with this content, if any.</summary>
    public static StoredSource? Find(DbConnection c, DbTransaction tx, string sha256)
    {
        var found = AdoStores.Query(c, tx, "SELECT source_id, name, ingested_at FROM benchgate_sources WHERE sha256 = @sha AND record_count IS NOT NULL ORDER BY source_id LIMIT 1",
            r => (Id: r.GetInt64(0), Name: r.GetString(1), At: r.GetString(2)), ("sha", sha256));
        if (found.Count == 0)
        {
            return null;
        }

        var (id, name, at) = found[0];
        return new StoredSource(id, name, at, AdoStores.Query(c, tx, "SELECT run_id FROM benchgate_runs WHERE source_id = @id ORDER BY run_seq", r => r.GetString(0), ("id", id)));
    }

    public static long Add(DbConnection c, DbTransaction tx, string name, string format, string now) =>
        AdoStores.ScalarInt64(c, tx, "INSERT INTO benchgate_sources (name, format, ingested_at) VALUES (@n, @f, @at) RETURNING source_id",
            ("n", name), ("f", format), ("at", now));

    public static void Complete(DbConnection c, DbTransaction tx, long sourceId, SourceDescriptor source, int recordCount) =>
        AdoStores.Execute(c, tx, "UPDATE benchgate_sources SET sha256 = @sha, size_bytes = @size, record_count = @n WHERE source_id = @id",
            ("sha", source.Sha256), ("size", source.SizeBytes), ("n", (long)recordCount), ("id", sourceId));

    /// <summary>A fresh run id (time and 6 random hex digits) that no stored run has, nor any run of a multi-run source made from it (ID.2, ID.3…).</summary>
    public static string NewRunId(DbConnection c, DbTransaction tx, TimeProvider clock)
    {
        while (true)
        {
            var id = clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
            if (AdoStores.Scalar(c, tx, "SELECT 1 FROM benchgate_runs WHERE run_id = @id OR run_id LIKE @prefix LIMIT 1", ("id", id), ("prefix", id + ".%")) is null)
            {
                return id;
            }
        }
    }
}
