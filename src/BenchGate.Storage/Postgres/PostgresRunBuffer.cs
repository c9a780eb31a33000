using System.Text;
using BenchGate.Model;
using BenchGate.Storage.Shared;
using Npgsql;

namespace BenchGate.Storage.Postgres;

/// <summary>
/// The runs and rows of an ingest not yet sent to the server. They go in batches of binary COPY, with run and
/// result ids reserved from their sequences in blocks: a round trip per run or row made a 200,000-row ingest of
/// runs of 8 rows take 32 s instead of 9 (bench/RESULTS.md).
/// </summary>
internal sealed class PostgresRunBuffer(NpgsqlConnection c, NpgsqlTransaction tx, PostgresKeys keys)
{
    internal const int FlushRows = 5000;
    private const int FlushRuns = 1000;
    private readonly List<(long RunSeq, int Seq, BenchmarkRecord Record)> _rows = [];
    private readonly List<PendingRun> _runs = [];
    private readonly Queue<long> _runSeqs = new();
    private readonly SampleJson _json = new();
    private readonly Dictionary<(string Table, string Column), uint> _sequences = [];
    private PendingRun? _open;

    /// <summary>Opens a run; its row is written with its results at the next flush.</summary>
    public void Begin(string runId, RunDescriptor run, string ingestedAt)
    {
        if (_runs.Any(r => r.RunId == runId))
        {
            throw Exists(runId);
        }

        if (_runSeqs.Count == 0)
        {
            ReserveIds("benchgate_runs", "run_seq", 256).ForEach(_runSeqs.Enqueue);
        }

        _open = new PendingRun(_runSeqs.Dequeue(), runId, run, ingestedAt);
        _runs.Add(_open);
    }

    public void Add(BenchmarkRecord record)
    {
        var run = _open ?? throw new InvalidOperationException("Add before BeginRun");
        _rows.Add((run.RunSeq, ++run.Rows, record));
        if (_rows.Count >= FlushRows)
        {
            Flush();
        }
    }

    public void End()
    {
        if (_open is { Written: true } written)
        {
            // Flushed while still open: its row holds the count of that moment.
            using var cmd = new NpgsqlCommand("UPDATE benchgate_runs SET row_count = @n WHERE run_seq = @seq", c, tx);
            cmd.Parameters.AddWithValue("n", (long)written.Rows);
            cmd.Parameters.AddWithValue("seq", written.RunSeq);
            cmd.ExecuteNonQuery();
        }

        _open = null;
        if (_runs.Count >= FlushRuns)
        {
            Flush();
        }
    }

    /// <summary>Forgets what was not sent (the source is abandoned: the savepoint drops what was).</summary>
    public void Clear()
    {
        _rows.Clear();
        _runs.Clear();
        _open = null;
    }

    /// <summary>
    /// Drops the reserved run numbers not used yet: runs were inserted with the sequence's own numbers meanwhile
    /// (a regrouped source), and a later run must not take a smaller number than theirs (runs are read in number order).
    /// </summary>
    public void ForgetReservedRunNumbers() => _runSeqs.Clear();

    public void Flush()
    {
        if (_runs.Count > 0)
        {
            try
            {
                PostgresCopy.Runs(c, _runs);
            }
            catch (PostgresException e) when (e.SqlState == "23505")
            {
                throw Exists(_runs.FirstOrDefault(r => e.Detail?.Contains($"({r.RunId})", StringComparison.Ordinal) == true)?.RunId ?? "?");
            }

            foreach (var r in _runs)
            {
                r.Written = true;
            }

            _runs.Clear();
        }

        if (_rows.Count == 0)
        {
            return;
        }

        var ids = ReserveIds("benchgate_results", "result_id", _rows.Count);
        var keyIds = _rows.Select(p => keys.IdOf(p.Record)).ToArray();
        PostgresCopy.Results(c, _rows, ids, keyIds, _json);
        PostgresCopy.LlamaBenchRows(c, _rows, ids);
        _rows.Clear();
    }

    internal static string? Utf8(ReadOnlySpan<byte> json, bool isNull) => isNull ? null : Encoding.UTF8.GetString(json);

    private static InputException Exists(string runId) => new($"run id '{runId}' exists already in the database; choose another --run-id");

    private List<long> ReserveIds(string table, string column, int n)
    {
        // The sequence is found once: in the query, pg_get_serial_sequence searched the catalog again for every id, 11% of
        // the server's time in an ingest. Its oid, passed as one, is a regclass without any lookup.
        if (!_sequences.TryGetValue((table, column), out var sequence))
        {
            using var find = new NpgsqlCommand($"SELECT pg_get_serial_sequence('{table}', '{column}')::regclass::oid", c, tx);
            _sequences[(table, column)] = sequence = (uint)find.ExecuteScalar()!;
        }

        using var cmd = new NpgsqlCommand("SELECT nextval(@s::regclass) FROM generate_series(1, @n)", c, tx);
        cmd.Parameters.AddWithValue("s", NpgsqlTypes.NpgsqlDbType.Oid, sequence);
        cmd.Parameters.AddWithValue("n", n);
        using var r = cmd.ExecuteReader();
        var ids = new List<long>(n);
        while (r.Read())
        {
            ids.Add(r.GetInt64(0));
        }

        return ids;
    }

    /// <summary>A run not yet written (or written while still receiving rows).</summary>
    internal sealed class PendingRun(long runSeq, string runId, RunDescriptor descriptor, string ingestedAt)
    {
        public long RunSeq { get; } = runSeq;

        public string RunId { get; } = runId;

        public RunDescriptor Descriptor { get; } = descriptor;

        public string IngestedAt { get; } = ingestedAt;

        public int Rows { get; set; }

        public bool Written { get; set; }
    }
}
