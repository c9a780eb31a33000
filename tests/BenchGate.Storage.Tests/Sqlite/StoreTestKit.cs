using System.Diagnostics;
using BenchGate.Ingest;
using BenchGate.Storage.Sqlite;
using BenchGate.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace BenchGate.Storage.Tests.Sqlite;

/// <summary>Helpers that use the real store on real files.</summary>
internal static class StoreTestKit
{
    public static List<IngestOutcome> IngestFiles(string db, IngestOptions? options, params string[] files)
    {
        using var store = SqliteResultStore.Open(db);
        using var tx = store.BeginIngest();
        var ingestor = new Ingestor(tx, new SqliteDatabaseFileReader());
        var outcomes = files.Select(f => ingestor.IngestFile(f, options ?? new IngestOptions())).ToList();
        tx.Commit();
        return outcomes;
    }

    public static List<IngestOutcome> IngestFiles(string db, params string[] files) => IngestFiles(db, null, files);

    public static long Count(string db, string sql) => TestDb.Count(db, sql);

    public static List<object?[]> Rows(string db, string sql)
    {
        using var c = Open(db);
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (r.Read())
        {
            var row = new object?[r.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Every schema object as (type, name, normalised SQL), sorted: what "the same schema" means.</summary>
    public static List<string> Schema(string db) =>
        [.. Rows(db, "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
            .Select(r => $"{r[0]} {r[1]}: {Normalise(r[2] as string)}")];

    private static string Normalise(string? sql) =>
        sql is null ? "" : string.Join(' ', sql.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    public static SqliteConnection Open(string db) => TestDb.Open(db);

    /// <summary>Runs the sqlite3 CLI (installed by .ci/run) with <paramref name="input"/> on stdin.</summary>
    public static (int ExitCode, string Output) Sqlite3(string db, string input)
    {
        var psi = new ProcessStartInfo("sqlite3", [db]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(input);
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }

    public static string Sha(string file) => Fixtures.Sha256(file);
}
