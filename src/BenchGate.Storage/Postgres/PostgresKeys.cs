using BenchGate.Model;
using Npgsql;

namespace BenchGate.Storage.Postgres;

/// <summary>
/// benchmark_keys ids for an ingest. A key is looked up in the ingest's transaction; a new one is inserted and
/// committed at once on a second connection (ON CONFLICT DO NOTHING), so no writer holds a key's lock until its
/// own commit. An ingest that rolls back removes the keys it added that no result uses (<see cref="RemoveUnusedCreated"/>).
/// </summary>
internal sealed class PostgresKeys(PostgresLocation location, NpgsqlConnection c, NpgsqlTransaction tx) : IDisposable
{
    private readonly Dictionary<string, long> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _created = [];
    private NpgsqlConnection? _side;

    public long IdOf(BenchmarkRecord record)
    {
        var key = record.Key;
        if (_ids.TryGetValue(key.Hash, out var id))
        {
            return id;
        }

        if (Find(c, tx, key.Hash) is { } found)
        {
            return _ids[key.Hash] = found;
        }

        _side ??= PostgresResultStore.Connect(location);
        using (var insert = new NpgsqlCommand("""
            INSERT INTO benchmark_keys (key_hash, canonical, model, model_type, backends, cpu_info, gpu_info, n_threads, n_prompt, n_gen, n_depth, test)
            VALUES (@h, @c, @m, @mt, @b, @cpu, @gpu, @t, @p, @g, @d, @test) ON CONFLICT (key_hash) DO NOTHING
            """, _side))
        {
            foreach (var (name, value) in new (string, object?)[]
            {
                ("h", key.Hash), ("c", key.Canonical), ("m", key["model_filename"]), ("mt", key["model_type"]), ("b", key["backends"]), ("cpu", key["cpu_info"]),
                ("gpu", key["gpu_info"]), ("t", key["n_threads"]), ("p", record.NPrompt), ("g", record.NGen), ("d", record.NDepth),
                ("test", TestLabel.Format(record.NPrompt, record.NGen, record.NDepth)),
            })
            {
                insert.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            if (insert.ExecuteNonQuery() == 1)
            {
                _created.Add(key.Hash);
            }
        }

        return _ids[key.Hash] = Find(c, tx, key.Hash) ?? throw new StoreException($"{location.Display}: benchmark key {key.Hash} vanished after it was inserted");
    }

    /// <summary>Creates a table on demand under the migration lock, committed on its own.</summary>
    public void EnsureTable(string ddl)
    {
        _side ??= PostgresResultStore.Connect(location);
        using var t = _side.BeginTransaction();
        using (var l = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({PostgresSchema.MigrationLock})", _side, t))
        {
            l.ExecuteNonQuery();
        }

        using (var create = new NpgsqlCommand(ddl, _side, t))
        {
            create.ExecuteNonQuery();
        }

        t.Commit();
    }

    private static long? Find(NpgsqlConnection c, NpgsqlTransaction tx, string hash)
    {
        // FOR KEY SHARE: a failed ingest that created this key cannot delete it while this transaction may still use it.
        using var cmd = new NpgsqlCommand("SELECT key_id FROM benchmark_keys WHERE key_hash = @h FOR KEY SHARE", c, tx);
        cmd.Parameters.AddWithValue("h", hash);
        return cmd.ExecuteScalar() is long id ? id : null;
    }

    /// <summary>After a rollback: deletes the keys this ingest created that no stored result refers to.</summary>
    public void RemoveUnusedCreated()
    {
        if (_created.Count == 0 || _side is null)
        {
            return;
        }

        try
        {
            using var delete = new NpgsqlCommand("""
                DELETE FROM benchmark_keys k WHERE k.key_hash = ANY(@h) AND NOT EXISTS (SELECT 1 FROM benchgate_results r WHERE r.key_id = k.key_id)
                """, _side);
            delete.Parameters.AddWithValue("h", _created.ToArray());
            delete.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // Another writer's uncommitted results use one of them (the foreign key says so): it stays, as it should.
        }
    }

    public void Dispose() => _side?.Dispose();
}
