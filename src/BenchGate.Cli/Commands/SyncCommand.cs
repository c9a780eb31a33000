using System.CommandLine;
using BenchGate.Storage;

namespace BenchGate.Cli.Commands;

/// <summary>
/// <c>benchgate sync</c>: copies runs between a local SQLite file and a shared PostgreSQL database (either way),
/// so a runner without the network works locally and pushes later. Running it twice copies nothing the second time.
/// </summary>
internal static class SyncCommand
{
    public static Command Create(CliContext context)
    {
        var from = new Option<string>("--from") { Description = "database to copy from (SQLite file or postgres://...)", Required = true };
        var to = new Option<string>("--to") { Description = "database to copy into (created or migrated as needed)", Required = true };
        var command = new Command("sync", """
            Copy runs (rows, keys, samples, same run ids), performance_history, regression_alerts,
            performance_baselines and memory_leak_logs from one database into another, SQLite or
            PostgreSQL either way. Idempotent: what the target has already is not copied again.
            """)
        {
            from, to,
        };
        command.SetAction(p => CommandErrors.Run(context, () =>
        {
            var (source, target) = (p.GetValue(from)!, p.GetValue(to)!);
            if (!StoreLocation.Of(source).Exists)
            {
                throw new StoreException($"{source}: no such database");
            }

            if (StoreLocation.Of(source).SameAs(StoreLocation.Of(target)))
            {
                throw new StoreException($"{ResultStores.Describe(source)}: --from and --to are the same database");
            }

            using var src = ResultStores.Open(source, create: false);
            using var dst = ResultStores.Open(target, create: true);
            var report = RunCopier.Copy(src, dst);
            context.Out.WriteLine($"copied {report.RunsCopied} runs ({report.RowsCopied} rows) from {src.Location} to {dst.Location}; {report.RunsPresent} runs were there already");
            context.Out.WriteLine($"also copied: {report.HistoryCopied} performance_history rows, {report.AlertsCopied} alerts, {report.BaselinesCopied} baselines, {report.MemoryLogsCopied} memory_leak_logs rows");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
