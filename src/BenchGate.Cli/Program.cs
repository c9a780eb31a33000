using System.CommandLine;
using BenchGate.Cli.Commands;

namespace BenchGate.Cli;

/// <summary>The benchgate command.</summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, CliContext.FromConsole());

    public static int Run(string[] args, CliContext context)
    {
        var root = new RootCommand("""
            BenchGate: a performance-regression gate for llama.cpp. Ingests every llama-bench output into one
            history (SQLite by default) and tells, with statistics, whether a change made inference slower.

            Exit codes: 0 success (no regression), 1 regression found, 2 usage or input error,
            3 inconclusive (with --fail-on-inconclusive), 70 internal error.
            """);
        root.Subcommands.Add(IngestCommand.Create(context));
        root.Subcommands.Add(MigrateCommand.Create(context));
        root.Subcommands.Add(ShowCommand.Create(context));
        root.Subcommands.Add(DetectCommand.Create(context));
        root.Subcommands.Add(AlertsCommand.Create(context));
        root.Subcommands.Add(BaselineCommand.Create(context));
        root.Subcommands.Add(CompareCommand.Create(context));
        root.Subcommands.Add(MemcheckCommand.Create(context));
        root.Subcommands.Add(RunCommand.Create(context));
        root.Subcommands.Add(CiCommand.Create(context));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                context.Error.WriteLine($"error: {error.Message}");
            }

            context.Error.WriteLine("Run 'benchgate --help' for usage.");
            return ExitCodes.InputError;
        }

        return parse.Invoke(new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false });
    }
}
