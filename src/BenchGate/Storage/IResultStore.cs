using BenchGate.Model;

namespace BenchGate.Storage;

/// <summary>A results database (SQLite file by default). Implementations live in BenchGate.Storage.</summary>
public interface IResultStore : IDisposable
{
    /// <summary>Where the store is, for messages (never includes a password).</summary>
    string Location { get; }

    /// <summary>Starts the one transaction an ingest runs in (migrations included).</summary>
    IIngestTransaction BeginIngest();

    /// <summary>What is stored, for <c>benchgate show</c>.</summary>
    StoreSummary Summarize();

    /// <summary>Applies the versioned migrations (idempotent).</summary>
    MigrationReport Migrate();

    /// <summary>The migration as a plain SQL script for this database as it is now.</summary>
    string MigrationScript();

    /// <summary>Removes what a failed first write created (a new SQLite file); a server database has nothing to remove.</summary>
    void DiscardIfCreated()
    {
    }
}

/// <summary>
/// Everything one <c>benchgate ingest</c> writes. Nothing is visible to readers before
/// <see cref="Commit"/>; disposing without it rolls everything back.
/// </summary>
public interface IIngestTransaction : IDisposable
{
    /// <summary>The earlier ingest of a source with this content, if any.</summary>
    StoredSource? FindSource(string sha256);

    /// <summary>
    /// As <see cref="FindSource"/>, as far as committed ingests show, without waiting for one still writing: a first look
    /// that spares a duplicate the rest of the work. <see cref="FindSource"/> is the answer that counts.
    /// </summary>
    StoredSource? PeekSource(string sha256) => FindSource(sha256);

    /// <summary>Marks a point to roll back to if the source turns out to be a duplicate or bad.</summary>
    void BeginSource();

    /// <summary>Drops everything written since <see cref="BeginSource"/>.</summary>
    void AbandonSource();

    /// <summary>Registers a source whose content hash is not known yet (it is hashed while streaming).</summary>
    long AddSource(string name, string format);

    /// <summary>Records what the source turned out to be once read to its end.</summary>
    void CompleteSource(long sourceId, SourceDescriptor source, int recordCount);

    /// <summary>A fresh run id that no stored run has.</summary>
    string NewRunId();

    /// <summary>Opens a run and returns its id.</summary>
    string BeginRun(RunDescriptor run);

    void Add(BenchmarkRecord record);

    /// <summary>
    /// How many normalised records may wait for <see cref="Add"/> while the input is read ahead. A store that sends its rows
    /// in batches and waits for each asks for a batch, so that the next one is read while one is written.
    /// </summary>
    int RecordsInFlight => Ingest.RecordPipeline.DefaultRecordsInFlight;

    /// <summary>Closes the current run with its row count.</summary>
    void EndRun();

    /// <summary>
    /// Regroups the runs of a source just written by repetition (the k-th row of each benchmark of a build into its k-th
    /// run) when that gives under two thirds as many runs (<see cref="Ingest.RunAssigner.Regroups"/>); returns the
    /// source's run ids afterwards (<paramref name="runIds"/> when nothing changed).
    /// </summary>
    IReadOnlyList<string> RegroupRuns(long sourceId, IReadOnlyList<string> runIds);

    /// <summary>Stores test-backend-ops results in the upstream table test_backend_ops, in this transaction.</summary>
    void AddBackendOps(IReadOnlyList<BackendOps.BackendOpResult> rows);

    void Commit();
}

/// <summary>An input as ingested: its display name, format and content hash.</summary>
public sealed record SourceDescriptor(string Name, string Format, string Sha256, long SizeBytes);

/// <summary>An earlier ingest of the same content.</summary>
public sealed record StoredSource(long Id, string Name, string IngestedAt, IReadOnlyList<string> RunIds);

/// <summary>Who and what one run is: one llama-bench invocation.</summary>
/// <param name="RunId">Requested id, or null to generate one.</param>
/// <param name="SourceId">The source it came from (0 for rows adopted in place).</param>
/// <param name="IndexInSource">1-based position of the run in its source.</param>
/// <param name="Commit">The commit under test (--commit, else llama-bench's build_commit).</param>
/// <param name="Branch">Branch, when known.</param>
/// <param name="Machine">Machine or runner name, when known.</param>
/// <param name="BuildCommit">llama-bench's build_commit of the run's rows.</param>
/// <param name="BuildNumber">llama-bench's build_number.</param>
/// <param name="PairId">Shared with the run of the other build made just before or after it on the same machine (run --interleave).</param>
public sealed record RunDescriptor(string? RunId, long SourceId, int IndexInSource, string? Commit, string? Branch,
    string? Machine, string? BuildCommit, long? BuildNumber, string? PairId = null);
