using BenchGate.Ingest;
using BenchGate.Storage.Sqlite;
using BenchGate.Tests.Shared;

namespace BenchGate.Storage.Tests.Postgres;

/// <summary>The two backends the storage contract tests run against: a SQLite file and a database on the real PostgreSQL server.</summary>
internal sealed class Backends(PostgresServer pg, TempDir dir)
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static TheoryData<string> Both => [Sqlite, Postgres];

    public string NewLocation(string backend, string name = "store") =>
        backend == Sqlite ? dir.File(name + ".sqlite") : pg.NewDatabase();

    public long Count(string location, string sql) =>
        StoreLocation.Of(location).IsPostgres ? pg.Count(location, sql) : TestDb.Count(location, sql);

    public static List<IngestOutcome> Ingest(string location, IngestOptions? options, params string[] files)
    {
        using var store = ResultStores.Open(location);
        using var tx = store.BeginIngest();
        var ingestor = new Ingestor(tx, new SqliteDatabaseFileReader());
        var outcomes = files.Select(f => ingestor.IngestFile(f, options ?? new IngestOptions())).ToList();
        tx.Commit();
        return outcomes;
    }
}
