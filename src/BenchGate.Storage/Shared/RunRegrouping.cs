using System.Data.Common;

namespace BenchGate.Storage.Shared;

/// <summary>
/// Regroups one source's stored runs by repetition, in SQL that SQLite and PostgreSQL read alike: the k-th row of each
/// benchmark of a build goes into that build's k-th run, numbered as the runs open (<see cref="Ingest.RunAssigner"/>'s
/// rule). ingest writes as it reads, one run after another (a repeated benchmark starts a run), so rows stored
/// configuration by configuration (A A A B B B) had become a run of nearly every row; this runs at the end of such a
/// source, inside its transaction, when it gives under two thirds as many runs.
/// </summary>
internal static class RunRegrouping
{
    /// <summary>Each result's run and place after regrouping: the group (build, repetition) is named by its first row.</summary>
    private const string MapSql = """
        CREATE TEMP TABLE benchgate_regroup AS
        WITH placed AS (
          SELECT r.result_id, r.run_seq AS old_run_seq, ru.build_commit, r.key_id,
                 CAST(ru.index_in_source AS BIGINT) * 1000000000 + r.seq AS pos
          FROM benchgate_results r JOIN benchgate_runs ru ON ru.run_seq = r.run_seq
          WHERE ru.source_id = @s),
        repeated AS (
          SELECT result_id, old_run_seq, build_commit, pos,
                 ROW_NUMBER() OVER (PARTITION BY build_commit, key_id ORDER BY pos) AS rep
          FROM placed),
        grouped AS (
          SELECT result_id, old_run_seq, pos, MIN(pos) OVER (PARTITION BY build_commit, rep) AS first_pos
          FROM repeated)
        SELECT result_id, old_run_seq, pos, first_pos,
               DENSE_RANK() OVER (ORDER BY first_pos) AS new_index,
               ROW_NUMBER() OVER (PARTITION BY first_pos ORDER BY pos) AS new_seq
        FROM grouped
        """;

    /// <summary>
    /// The source's run ids after regrouping, or <paramref name="runIds"/> unchanged when grouping by repetition would
    /// not give under two thirds as many runs (<see cref="Ingest.RunAssigner.Regroups"/>). New runs take the ids of the
    /// old ones in order (<c>base</c>, <c>base.2</c>…) and each takes its commit, build, branch, machine and pair from
    /// the run that held its first row.
    /// </summary>
    public static IReadOnlyList<string> Apply(DbConnection c, DbTransaction tx, long sourceId, IReadOnlyList<string> runIds)
    {
        // On an error the caller rolls the transaction back, which drops these too: no cleanup that could hide the error
        // (PostgreSQL refuses every statement of an aborted transaction).
        AdoStores.Execute(c, tx, "DROP TABLE IF EXISTS benchgate_regroup");
        AdoStores.Execute(c, tx, "DROP TABLE IF EXISTS benchgate_regroup_runs");
        AdoStores.Execute(c, tx, MapSql, ("s", sourceId));
        var groups = (int)AdoStores.ScalarInt64(c, tx, "SELECT COALESCE(MAX(new_index), 0) FROM benchgate_regroup");
        if (groups == 0 || !Ingest.RunAssigner.Regroups(runIds.Count, groups))
        {
            AdoStores.Execute(c, tx, "DROP TABLE benchgate_regroup");
            return runIds;
        }

        AdoStores.Execute(c, tx, """
            CREATE TEMP TABLE benchgate_regroup_runs AS
            SELECT g.new_index, g.n, f.old_run_seq
            FROM (SELECT new_index, MIN(first_pos) AS first_pos, COUNT(*) AS n FROM benchgate_regroup GROUP BY new_index) g
            JOIN benchgate_regroup f ON f.pos = g.first_pos
            """);
        // The new runs take the old ids: the old runs step aside first, and the new ones wait at negative indexes.
        AdoStores.Execute(c, tx, "UPDATE benchgate_runs SET run_id = run_id || '~regrouped' WHERE source_id = @s", ("s", sourceId));
        AdoStores.Execute(c, tx, """
            INSERT INTO benchgate_runs (run_id, source_id, index_in_source, commit_sha, build_commit, build_number, branch, machine, ingested_at, row_count)
            SELECT CASE WHEN g.new_index = 1 THEN @base ELSE @base || '.' || CAST(g.new_index AS TEXT) END,
                   @s, -g.new_index, ru.commit_sha, ru.build_commit, ru.build_number, ru.branch, ru.machine, ru.ingested_at, g.n
            FROM benchgate_regroup_runs g JOIN benchgate_runs ru ON ru.run_seq = g.old_run_seq
            ORDER BY g.new_index
            """, ("s", sourceId), ("base", runIds[0]));
        AdoStores.Execute(c, tx, """
            UPDATE benchgate_results SET run_seq = n.run_seq, seq = m.new_seq
            FROM benchgate_regroup m JOIN benchgate_runs n ON n.source_id = @s AND n.index_in_source = -m.new_index
            WHERE benchgate_results.result_id = m.result_id
            """, ("s", sourceId));
        AdoStores.Execute(c, tx, """
            INSERT INTO benchgate_run_pairs (run_seq, pair_id)
            SELECT n.run_seq, p.pair_id
            FROM benchgate_regroup_runs g
            JOIN benchgate_run_pairs p ON p.run_seq = g.old_run_seq
            JOIN benchgate_runs n ON n.source_id = @s AND n.index_in_source = -g.new_index
            """, ("s", sourceId));
        AdoStores.Execute(c, tx, "DELETE FROM benchgate_runs WHERE source_id = @s AND index_in_source > 0", ("s", sourceId));
        AdoStores.Execute(c, tx, "UPDATE benchgate_runs SET index_in_source = -index_in_source WHERE source_id = @s", ("s", sourceId));
        AdoStores.Execute(c, tx, "DROP TABLE benchgate_regroup_runs");
        AdoStores.Execute(c, tx, "DROP TABLE benchgate_regroup");
        return AdoStores.Query(c, tx, "SELECT run_id FROM benchgate_runs WHERE source_id = @s ORDER BY index_in_source", r => r.GetString(0), ("s", sourceId));
    }
}
