using BenchGate.Model;
using BenchGate.Storage;

namespace BenchGate.Ingest;

/// <summary>
/// Reads llama-bench outputs into an open <see cref="IIngestTransaction"/>: detects the format,
/// normalises every record, splits the records into runs, and skips content ingested before.
/// </summary>
public sealed class Ingestor(IIngestTransaction transaction, IDatabaseFileReader databaseReader, IProgress<IngestProgress>? progress = null)
{
    private const int ProgressEvery = 20_000;

    /// <summary>
    /// Ingests a SQLite database: <paramref name="content"/> identifies it (its hash skips a database ingested before)
    /// and the database reader reads its rows by <paramref name="name"/>. The stream is disposed.
    /// </summary>
    public IngestOutcome IngestDatabase(string name, Stream content, IngestOptions options)
    {
        using var hashing = new HashingReadStream(content);
        return Run(name, InputFormat.Sqlite, hashing, () => databaseReader.Read(name), options);
    }

    /// <summary>Ingests a text format from a stream (stdin, a pipe); the stream is disposed.</summary>
    public IngestOutcome IngestStream(string name, Stream stream, IngestOptions options)
    {
        using var hashing = new HashingReadStream(stream);
        var format = options.Format;
        try
        {
            if (format == InputFormat.Auto)
            {
                format = FormatDetector.Detect(hashing.Peek(FormatDetector.PrefixLength));
            }
        }
        catch (InputException e)
        {
            throw e.WithInput(name);
        }

        if (format == InputFormat.Sqlite)
        {
            throw new InputException("a SQLite database can only be ingested from a file", input: name);
        }

        return Run(name, format, hashing, () => TextFormatReaders.Open(format, hashing), options);
    }

    private IngestOutcome Run(string name, InputFormat format, HashingReadStream content, Func<IEnumerable<RawRecord>> read, IngestOptions options) =>
        Store(name, format, () => RecordPipeline.Normalised(read(), transaction.RecordsInFlight), () => content.BytesRead, () => (content.Finish(), content.BytesRead), options);

    /// <summary>test-backend-ops perf results (read by the caller from sql text, console output or a database), stored as they are.</summary>
    public IngestOutcome IngestBackendOps(string name, IReadOnlyList<BackendOps.BackendOpResult> rows)
    {
        if (rows.Count == 0)
        {
            throw new InputException("holds no test-backend-ops results", input: name);
        }

        transaction.AddBackendOps(rows);
        return new IngestOutcome(name, InputFormat.Sql, [], rows.Count, rows.Select(r => r.Key).Distinct().Count(), 0, [], [],
            [$"test-backend-ops results: {rows.Count} rows into test_backend_ops (compare them with: benchgate compare -t test-backend-ops)"]);
    }

    /// <summary>
    /// Stores records that are already normalised (a baseline copied from another database) as a source of their
    /// own, identified by <paramref name="contentId"/> instead of a content hash.
    /// </summary>
    public IngestOutcome IngestRecords(string name, InputFormat format, IReadOnlyList<BenchmarkRecord> records, string contentId, IngestOptions options) =>
        Store(name, format, () => records, () => 0, () => (contentId, 0), options);

    private IngestOutcome Store(string name, InputFormat format, Func<IEnumerable<BenchmarkRecord>> records, Func<long> bytesRead,
        Func<(string Id, long Size)> finish, IngestOptions options)
    {
        transaction.BeginSource();
        var tally = new SourceTally();
        try
        {
            var sourceId = transaction.AddSource(name, FormatName(format));
            var splitter = new RunSplitter();
            var runIds = new List<string>();
            var regroup = new RegroupCheck();
            string? baseRunId = options.RunId;
            foreach (var record in records())
            {
                if (splitter.StartsNewRun(record))
                {
                    if (runIds.Count > 0)
                    {
                        transaction.EndRun();
                    }

                    var index = runIds.Count + 1;
                    baseRunId ??= transaction.NewRunId();
                    var runId = index == 1 ? baseRunId : $"{baseRunId}.{index}";
                    runIds.Add(transaction.BeginRun(new RunDescriptor(runId, sourceId, index, options.Commit ?? record.BuildCommit,
                        options.Branch, options.Machine, record.BuildCommit, record.BuildNumber, options.PairId)));
                }

                transaction.Add(record);
                regroup.Add(record);
                tally.Count(record);
                if (progress is not null && tally.Rows % ProgressEvery == 0)
                {
                    progress.Report(new IngestProgress(name, tally.Rows, bytesRead()));
                }
            }

            if (runIds.Count == 0)
            {
                throw new InputException(format == InputFormat.Sql
                    ? "holds no INSERT: llama-bench printed its header and failed before any test finished (see its stderr)"
                    : "holds no benchmark record");
            }

            transaction.EndRun();
            var (sha, size) = finish();
            // A duplicate already committed (CI ingesting an artifact again) is found before any regrouping. The regroup
            // comes before the duplicate check that counts: on PostgreSQL that check takes a lock every other writer then
            // waits for until this one commits, and regrouping 120,000 rows takes ~2 s. A late duplicate's regroup is
            // rolled back with it.
            var earlier = options.AllowDuplicates ? null : transaction.PeekSource(sha);
            IReadOnlyList<string> stored = runIds;
            if (earlier is null)
            {
                stored = regroup.Worth(runIds.Count) ? transaction.RegroupRuns(sourceId, runIds) : runIds;
                earlier = transaction.FindSource(sha);
            }

            if (earlier is not null && !options.AllowDuplicates)
            {
                transaction.AbandonSource();
                return tally.Outcome(name, format, [], $"already ingested on {earlier.IngestedAt} from {earlier.Name} as run(s) {string.Join(", ", earlier.RunIds)}; use --allow-duplicates to ingest it again");
            }

            if (stored.Count != runIds.Count)
            {
                tally.Note($"rows not stored run by run (a benchmark's repetitions together, or builds alternating row by row): {runIds.Count} runs grouped by repetition into {stored.Count}, the k-th row of each benchmark of a build in its run k");
            }

            transaction.CompleteSource(sourceId, new SourceDescriptor(name, FormatName(format), sha, size), tally.Rows);
            return tally.Outcome(name, format, stored, null);
        }
        catch (InputException e)
        {
            transaction.AbandonSource();
            throw e.WithInput(name);
        }
    }

    public static string FormatName(InputFormat format) => format.ToString().ToLowerInvariant();

    /// <summary>Counts what a source held, cheaply enough for a million rows.</summary>
    private sealed class SourceTally
    {
        private readonly bool[] _missing = new bool[LlamaBenchSchema.Count];
        private readonly HashSet<BenchmarkKey> _keys = [];
        private readonly SortedSet<string> _extras = new(StringComparer.Ordinal);
        private readonly List<string> _notes = [];
        private int _withSamples;
        private int _stddevCorrected;

        public int Rows { get; private set; }

        public void Count(BenchmarkRecord record)
        {
            Rows++;
            _keys.Add(record.Key);
            var values = record.Values;
            for (var i = 0; i < values.Length; i++)
            {
                _missing[i] |= values[i].IsNull;
            }

            foreach (var extra in record.Extras)
            {
                _extras.Add(extra.Key);
            }

            if (record.SamplesNs is not null)
            {
                _withSamples++;
                var recomputed = record.Get(FieldOrdinals.StddevNs).Integer;
                if (record.ReportedStddevNs is { } reported && Math.Abs(reported - recomputed) > Math.Max(1000, 0.01 * recomputed))
                {
                    _stddevCorrected++;
                }
            }
        }

        public void Note(string note) => _notes.Add(note);

        public IngestOutcome Outcome(string name, InputFormat format, IReadOnlyList<string> runIds, string? skipped)
        {
            var missing = LlamaBenchSchema.Fields.Where(f => _missing[f.Ordinal]).Select(f => f.Name).ToList();
            var notes = new List<string>(_notes);
            if (format == InputFormat.Md)
            {
                notes.Add("md is lossy: model_size and model_n_params are rounded to 2 decimals, avg_ns and samples are absent, and parameters left at their default are not printed");
            }

            if (_stddevCorrected > 0)
            {
                notes.Add($"stddev_ns recomputed from samples_ns in {_stddevCorrected} row(s) where llama-bench's integer arithmetic had gone wrong (overflow)");
            }

            return new IngestOutcome(name, format, runIds, Rows, _keys.Count, _withSamples, missing, [.. _extras], notes, skipped);
        }
    }
}

/// <summary>How far an ingest has come in one source.</summary>
public sealed record IngestProgress(string Source, long Rows, long Bytes);
