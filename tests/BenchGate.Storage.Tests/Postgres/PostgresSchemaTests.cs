using BenchGate.Storage.Postgres;
using BenchGate.Storage.Shared;
using BenchGate.Tests.Shared;

namespace BenchGate.Storage.Tests.Postgres;

public sealed class PostgresSchemaTests(PostgresServer pg)
{
    [Fact]
    public void Both_backends_have_the_same_tables_views_and_columns_in_the_same_order()
    {
        using var dir = new TempDir();
        var file = dir.File("schema.sqlite");
        var url = pg.NewDatabase();
        using (var s = ResultStores.Open(file))
        {
            s.Migrate();
        }

        using (var p = ResultStores.Open(url))
        {
            p.Migrate();
        }

        var sqlite = TestDbColumns(file);
        using var c = pg.Open(PostgresServer.DatabaseOf(url));
        using var cmd = new Npgsql.NpgsqlCommand("""
            SELECT table_name, string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns
            WHERE table_schema = 'public' GROUP BY table_name ORDER BY table_name
            """, c);
        using var r = cmd.ExecuteReader();
        var postgres = new List<string>();
        while (r.Read())
        {
            postgres.Add($"{r.GetString(0)}: {r.GetString(1)}");
        }

        Assert.Contains(postgres, t => t.StartsWith("llama_bench: ", StringComparison.Ordinal));
        Assert.Contains(postgres, t => t.StartsWith("latest_baselines: ", StringComparison.Ordinal));
        Assert.Equal(sqlite, postgres);
    }

    [Fact]
    public void Concurrent_first_migrations_apply_each_version_once()
    {
        var url = pg.NewDatabase();
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        Parallel.For(0, 8, _ =>
        {
            try
            {
                using var s = ResultStores.Open(url);
                s.Migrate();
            }
            catch (StoreException e)
            {
                errors.Add(e);
            }
        });

        Assert.Empty(errors);
        Assert.Equal(Schema.LatestVersion, pg.Count(url, "SELECT COUNT(*) FROM benchgate_schema_version"));
    }

    [Fact]
    public void The_printed_migration_script_builds_the_schema_with_psql()
    {
        var url = pg.NewDatabase();
        var script = PostgresResultStore.EmptyDatabaseMigrationScript();
        pg.Execute(PostgresServer.DatabaseOf(url), script);
        using var s = ResultStores.Open(url);
        Assert.Empty(s.Migrate().Applied);
    }

    private static List<string> TestDbColumns(string file)
    {
        using var c = TestDb.Open(file);
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT m.name, group_concat(p.name, ',') FROM sqlite_master m JOIN pragma_table_info(m.name) p
            WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite_%' GROUP BY m.name ORDER BY m.name
            """;
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add($"{r.GetString(0)}: {r.GetString(1)}");
        }

        return list;
    }
}
