using System.CommandLine;
using BenchGate.Storage;
using BenchGate.Storage.Sqlite;

namespace BenchGate.Cli.Commands;

/// <summary><c>benchgate migrate</c>: the spec's apply-db-migration.py, versioned and idempotent.</summary>
internal static class MigrateCommand
{
    public static Command Create(CliContext context)
    {
        var database = DatabaseOption.Create(context, "database to migrate (empty, made by llama-bench, or made by BenchGate)");
        var printSql = new Option<bool>("--print-sql") { Description = "print the migration as plain SQL for sqlite3 instead of applying it (for -d's current state, or for an empty database if it does not exist)" };
        var command = new Command("migrate", """
            Create or upgrade the schema: llama_bench, the spec's performance_baselines, performance_history,
            regression_alerts, memory_leak_logs and views. Repairs llama_bench tables of older llama-bench
            versions and adopts rows llama-bench wrote directly. One transaction; running it twice = once.
            """)
        {
            database, printSql,
        };
        command.SetAction(parse => Execute(context, parse.GetValue(database)!, parse.GetValue(printSql)));
        return command;
    }

    private static int Execute(CliContext context, string database, bool printSql) => CommandErrors.Run(context, () =>
    {
        if (printSql)
        {
            if (!StoreLocation.Of(database).Exists)
            {
                context.Out.Write(SqliteResultStore.EmptyDatabaseMigrationScript());
                return ExitCodes.Ok;
            }

            using var existing = ResultStores.Open(database, create: false);
            context.Out.Write(existing.MigrationScript());
            return ExitCodes.Ok;
        }

        using var store = ResultStores.Open(database);
        var shown = ResultStores.Describe(database);
        var report = store.Migrate();
        var o = context.Out;
        foreach (var column in report.AddedColumns)
        {
            o.WriteLine($"added column {column}");
        }

        foreach (var step in report.Applied)
        {
            o.WriteLine($"applied {step}");
        }

        if (report.AdoptedRows > 0)
        {
            o.WriteLine($"adopted {report.AdoptedRows} rows that llama-bench wrote directly, as {report.AdoptedRuns} runs");
        }

        o.WriteLine(report.Applied.Count == 0 && report.AddedColumns.Count == 0
            ? $"{shown} is at schema version {report.VersionAfter}: nothing to migrate"
            : $"{shown} migrated from schema version {report.VersionBefore} to {report.VersionAfter}");
        return ExitCodes.Ok;
    });
}
