using BenchGate.Ingest;
using BenchGate.Model;
using BenchGate.Storage.Shared;

namespace BenchGate.Storage.Sqlite;

/// <summary>
/// Takes over rows that llama-bench wrote straight into the database (<c>llama-bench -o sql | sqlite3 db</c>,
/// the spec's manual flow), in llama_bench or the pre-2025-08 table test: each gets a run, a key and a
/// normalised llama_bench row, so every command sees them. Idempotent: adopted rows carry our link.
/// </summary>
internal static class RowAdopter
{
    private const int Batch = 10_000;

    public static (int Rows, int Runs) Adopt(SqliteIngestTransaction tx)
    {
        var rows = 0;
        var runs = 0;
        foreach (var table in new[] { LlamaBenchSchema.LegacyTableName, LlamaBenchSchema.TableName })
        {
            if (!SqliteRowReader.TableExists(tx.Connection, table, tx.Transaction))
            {
                continue;
            }

            var (r, n) = AdoptTable(tx, table);
            rows += r;
            runs += n;
        }

        return (rows, runs);
    }

    private static (int Rows, int Runs) AdoptTable(SqliteIngestTransaction tx, string table)
    {
        var where = $"{Schema.LinkColumn} IS NULL";
        var batch = SqliteRowReader.Read(tx.Connection, table, where, 0, Batch, tx.Transaction);
        if (batch.Count == 0)
        {
            return (0, 0);
        }

        var name = $"table {table} of this database (rows written by llama-bench -o sql | sqlite3)";
        tx.BeginSource();
        var sourceId = tx.AddSource(name, "sqlite");
        var splitter = new RunSplitter();
        var regroup = new RegroupCheck();
        var runIds = new List<string>();
        var rows = 0;
        var runs = 0;
        var firstRowId = batch[0].RowId;
        var lastRowId = firstRowId;
        while (batch.Count > 0)
        {
            foreach (var (rowId, raw) in batch)
            {
                BenchmarkRecord record;
                try
                {
                    record = RecordNormalizer.Normalize(raw);
                }
                catch (InputException e)
                {
                    throw e.WithInput("this database");
                }

                if (splitter.StartsNewRun(record))
                {
                    if (runs > 0)
                    {
                        tx.EndRun();
                    }

                    runs++;
                    runIds.Add(tx.BeginRun(new RunDescriptor(null, sourceId, runs, record.BuildCommit, null, null, record.BuildCommit, record.BuildNumber)));
                }

                regroup.Add(record);
                tx.Adopt(record, table, rowId);
                rows++;
                lastRowId = rowId;
            }

            // Adopted rows now carry the link, so the same query returns the next unadopted ones.
            batch = SqliteRowReader.Read(tx.Connection, table, where, lastRowId, Batch, tx.Transaction);
        }

        tx.EndRun();
        // Rows a script piped in configuration by configuration: grouped by repetition, as ingest groups its sources.
        if (regroup.Worth(runs))
        {
            runs = tx.RegroupRuns(sourceId, runIds).Count;
        }

        tx.CompleteSource(sourceId, new SourceDescriptor(name, "sqlite", $"adopted:{table}:{firstRowId}-{lastRowId}", 0), rows);
        return (rows, runs);
    }
}
