using BenchGate.Ingest;
using BenchGate.Storage.Postgres;
using BenchGate.Tests.Shared;
using Npgsql;

namespace BenchGate.Storage.Tests.Postgres;

/// <summary>How detect's and compare's sides are read from PostgreSQL.</summary>
public sealed class PostgresReadTests(PostgresServer pg)
{
    [Fact]
    public void A_side_is_read_without_parallel_workers_and_the_session_is_left_as_it_was()
    {
        var db = pg.NewDatabase();
        Backends.Ingest(db, new IngestOptions(Commit: "abc123"), Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"));
        using var store = PostgresResultStore.Open(db);
        var serverDefault = Setting(store.Connection);
        Assert.NotEqual("0", serverDefault);

        string? during = null;
        var runs = store.ReadLookups(c =>
        {
            during = Setting(c);
            return Shared.RunArchive.Read(c, Shared.RunArchive.DetectFields, Shared.RunArchive.CommitFilter, ("c", "abc123"));
        });

        Assert.Equal("0", during);
        Assert.NotEmpty(runs);
        // SET LOCAL ended with the read's transaction: a pooled or shared server connection keeps the server's setting.
        Assert.Equal(serverDefault, Setting(store.Connection));
        var side = PostgresStoredRuns.Read(store, "abc123");
        Assert.Equal(runs.Select(r => r.RunId), side.Runs.Select(r => r.RunId));
        Assert.Equal(serverDefault, Setting(store.Connection));
    }

    [Fact]
    public void Ingest_reads_a_whole_batch_ahead_of_the_writer_that_sends_batches()
    {
        using var store = PostgresResultStore.Open(pg.NewDatabase());
        using var ingest = store.BeginIngest();
        Assert.True(ingest.RecordsInFlight >= PostgresRunBuffer.FlushRows, $"{ingest.RecordsInFlight} records in flight for batches of {PostgresRunBuffer.FlushRows}");
    }

    private static string? Setting(NpgsqlConnection c)
    {
        using var show = new NpgsqlCommand("SHOW max_parallel_workers_per_gather", c);
        return show.ExecuteScalar() as string;
    }
}
