using System.Data.Common;
using System.Globalization;

namespace BenchGate.Storage.Shared;

/// <summary>The queries behind <c>benchgate show</c>, one text for both backends (each says how many rows it holds that BenchGate does not manage).</summary>
/// <remarks>
/// The results are read once, in run order, and counted per machine, configuration and run in memory that grows with
/// those (what show prints), not with the results: grouping 10,000,000 results in SQL took 33 s (three scans, one of
/// them through the key index, fetching every row out of order), the one ordered scan and the rest 7-10 s. Names are
/// ordered by the database (DENSE_RANK), as its ORDER BY did: PostgreSQL's collation need not be ordinal.
/// </remarks>
internal static class StoreSummaries
{
    public static StoreSummary Read(IAdoStore store, int version, long unmanaged)
    {
        var c = store.Connection;
        var commits = AdoStores.Query(c, null, """
            SELECT COALESCE(commit_sha, '?'), MAX(build_commit), MAX(build_number), COUNT(*), CAST(SUM(row_count) AS BIGINT), MIN(ingested_at), MAX(ingested_at)
            FROM benchgate_runs GROUP BY commit_sha ORDER BY MIN(run_seq)
            """, r => new CommitSummary(r.GetString(0), Str(r, 1), Long(r, 2), Int(r, 3), Long(r, 4) ?? 0, r.GetString(5), r.GetString(6)));

        // Runs before keys: every key a listed run uses is then visible (a run is stored whole, its keys first).
        var runs = AdoStores.Query(c, null, """
            SELECT ru.run_seq, ru.run_id, ru.commit_sha, ru.branch, ru.machine, COALESCE(s.name, '?'), COALESCE(s.format, '?'), ru.ingested_at, ru.row_count,
                   DENSE_RANK() OVER (ORDER BY COALESCE(ru.machine, '(unspecified)'))
            FROM benchgate_runs ru LEFT JOIN benchgate_sources s ON s.source_id = ru.source_id ORDER BY ru.run_seq
            """, r => new RunTally(r.GetInt64(0), new RunSummary(r.GetString(1), Str(r, 2), Str(r, 3), Str(r, 4), r.GetString(5), r.GetString(6), r.GetString(7), Long(r, 8) ?? 0, null),
                Long(r, 9) ?? 0));
        var runBySeq = runs.ToDictionary(r => r.Seq);

        // n_threads is text ("4", or "4,8" from older versions): its leading number, which SQLite's CAST gives and PostgreSQL's refuses.
        var threads = store.IsPostgres ? "CAST(NULLIF(substring(k.n_threads from '^[0-9]+'), '') AS BIGINT)" : "CAST(k.n_threads AS INTEGER)";
        var keys = AdoStores.Query(c, null, $"""
            SELECT k.key_id, k.key_hash, COALESCE(k.model, '?'), COALESCE(k.model_type, '?'), COALESCE(k.backends, '?'), COALESCE(k.test, '?'),
                   COALESCE({threads}, 0), COALESCE(k.cpu_info, '?'), COALESCE(k.gpu_info, '?'),
                   DENSE_RANK() OVER (ORDER BY COALESCE(k.cpu_info, '?')), DENSE_RANK() OVER (ORDER BY COALESCE(k.gpu_info, '?')), DENSE_RANK() OVER (ORDER BY COALESCE(k.backends, '?'))
            FROM benchmark_keys k ORDER BY k.model, k.backends, k.n_threads, k.n_depth, k.n_gen, k.n_prompt, k.key_hash
            """, r => new KeyTally(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Long(r, 6) ?? 0, r.GetString(7), r.GetString(8),
                (Long(r, 9) ?? 0, Long(r, 10) ?? 0, Long(r, 11) ?? 0)));
        var byId = keys.ToDictionary(k => k.Id);

        var machines = new Dictionary<(string Machine, string Cpu, string Gpu, string Backends), (long Rank, long Cpu, long Gpu, long Backends, GroupTally Tally)>();
        long rows = 0;
        // In run order, so "a new run for this configuration" is "a run other than the last one counted for it".
        using (var r = ArchiveRows.Open(c, "SELECT r.run_seq, r.key_id, CASE WHEN r.samples_ns IS NULL THEN 0 ELSE 1 END, r.repetitions FROM benchgate_results r ORDER BY r.run_seq", []))
        {
            while (r.Read())
            {
                // A result of a run or key stored after they were read is left out, as if show had read a moment earlier.
                var (seq, keyId) = (r.Long(0), r.Long(1));
                if (!runBySeq.TryGetValue(seq, out var run) || !byId.TryGetValue(keyId, out var key))
                {
                    continue;
                }

                rows++;
                key.Count(seq, r.Long(2) == 1);
                var group = (run.Summary.Machine ?? "(unspecified)", key.Cpu, key.Gpu, key.Backends);
                if (!machines.TryGetValue(group, out var tally))
                {
                    machines[group] = tally = (run.MachineRank, key.Ranks.Cpu, key.Ranks.Gpu, key.Ranks.Backends, new GroupTally());
                }

                tally.Tally.Count(seq, false);
                if (!r.IsNull(3))
                {
                    run.Repetitions = (int)Math.Max(run.Repetitions ?? long.MinValue, r.Long(3));
                }
            }
        }

        return new StoreSummary(store.Location, version, rows, unmanaged, commits,
            [.. machines.OrderBy(m => (m.Value.Rank, m.Value.Cpu, m.Value.Gpu, m.Value.Backends))
                .Select(m => new MachineSummary(m.Key.Machine, m.Key.Cpu, m.Key.Gpu, m.Key.Backends, m.Value.Tally.Runs, m.Value.Tally.Rows))],
            [.. keys.Where(k => k.Rows > 0).Select(k => new ConfigurationSummary(k.Hash, k.Model, k.ModelType, k.Backends, k.Test, k.Threads, k.Runs, k.Rows, k.HasSamples))],
            [.. runs.Select(r => r.Summary with { Repetitions = r.Repetitions })]);
    }

    private static int Int(DbDataReader r, int i) => Convert.ToInt32(r.GetValue(i), CultureInfo.InvariantCulture);

    private static long? Long(DbDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);

    private static string? Str(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    /// <summary>Distinct runs and rows of one group, counted from results read in run order.</summary>
    private class GroupTally
    {
        private long _lastRun = long.MinValue;

        public int Runs { get; private set; }

        public long Rows { get; private set; }

        public bool HasSamples { get; private set; }

        public void Count(long runSeq, bool samples)
        {
            Rows++;
            HasSamples |= samples;
            if (runSeq != _lastRun)
            {
                (_lastRun, Runs) = (runSeq, Runs + 1);
            }
        }
    }

    private sealed class KeyTally(long id, string hash, string model, string modelType, string backends, string test, long threads, string cpu, string gpu,
        (long Cpu, long Gpu, long Backends) ranks) : GroupTally
    {
        /// <summary>Where the database's collation puts its cpu_info, gpu_info and backends among all keys'.</summary>
        public (long Cpu, long Gpu, long Backends) Ranks => ranks;

        public long Id => id;

        public string Hash => hash;

        public string Model => model;

        public string ModelType => modelType;

        public string Backends => backends;

        public string Test => test;

        public long Threads => threads;

        public string Cpu => cpu;

        public string Gpu => gpu;
    }

    private sealed class RunTally(long seq, RunSummary summary, long machineRank)
    {
        public long MachineRank => machineRank;

        public long Seq => seq;

        public RunSummary Summary => summary;

        public int? Repetitions { get; set; }
    }
}
