using BenchGate.Ingest;
using BenchGate.Storage;
using BenchGate.Storage.Sqlite;
using BenchGate.Workflows.Compare;

namespace BenchGate.Workflows.Ingest;

/// <summary>What ingest was asked: the inputs ("-" is <paramref name="Stdin"/>), the database, and how to label the runs.</summary>
public sealed record IngestRequest(IReadOnlyList<string> Inputs, string Database, IngestOptions Options, Func<Stream>? Stdin = null);

/// <summary>
/// ingest's work: every input in one transaction, so that on any error nothing is stored and a database this
/// ingest created is removed (and the failure rethrown).
/// </summary>
public static class IngestWorkflow
{
    public static IReadOnlyList<IngestOutcome> Run(WorkflowHost host, IngestRequest req)
    {
        if (req.Inputs.Count(i => i == "-") > 1)
        {
            throw new InputException("'-' (stdin) can be given only once");
        }

        IResultStore? store = null;
        try
        {
            store = ResultStores.Open(req.Database);
            var outcomes = new List<IngestOutcome>();
            var opened = store;
            host.Status.Show("ingesting…", status =>
            {
                var progress = status is null ? null : new Reporter(status);
                using var tx = opened.BeginIngest();
                var ingestor = new Ingestor(tx, new SqliteDatabaseFileReader(), progress);
                foreach (var input in req.Inputs)
                {
                    outcomes.Add(input == "-" ? StdinSource.Ingest(ingestor, (req.Stdin ?? throw new InputException("'-' names stdin, which this caller does not give"))(), req.Options)
                        : BackendOpsInput.Is(input) ? ingestor.IngestBackendOps(input, CompareInputs.ReadBackendOps(input))
                        : ingestor.IngestFile(input, req.Options));
                }

                tx.Commit();
                return outcomes;
            });
            store.Dispose();
            return outcomes;
        }
        catch
        {
            if (store is not null)
            {
                store.DiscardIfCreated();
                store.Dispose();
            }

            throw;
        }
    }

    /// <summary>Reports on the ingesting thread, as it reads (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Reporter(IProgress<string> status) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress value) => status.Report($"ingesting {value.Source}: {value.Rows:N0} rows, {value.Bytes / 1e6:F0} MB");
    }
}
