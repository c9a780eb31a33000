using System.CommandLine;
using System.CommandLine.Parsing;
using BenchGate.Cli.Commands;

namespace BenchGate.Cli;

/// <summary>The benchgate command.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Storage.Sqlite.SqliteLibrary.Configure();
        return Run(args, CliContext.FromConsole());
    }

    /// <summary>The parse errors of a command line, without running it (used to check documented commands).</summary>
    public static IReadOnlyList<string> ParseErrors(string[] args) => Errors(Root(CliContext.FromConsole()).Parse(args));

    /// <summary>
    /// The parser's errors, plus options it did not know: System.CommandLine hands an unknown <c>--option</c> to a
    /// command's pass-through argument (llama-bench's arguments of run and ci), where a typo would silently reach
    /// llama-bench. Before <c>--</c>, a word that looks like an option must be one.
    /// </summary>
    private static List<string> Errors(ParseResult parse)
    {
        var errors = parse.Errors.Select(e => UsageErrors.Humanize(e.Message, parse.CommandResult.Command)).Distinct().ToList();
        // One cause, one line: a mistyped command also leaves no command given, a mistyped option strands its value.
        if (errors.Any(e => e.StartsWith("unknown command", StringComparison.Ordinal)))
        {
            errors.RemoveAll(e => e.StartsWith("give a command", StringComparison.Ordinal));
        }

        if (errors.Any(e => e.StartsWith("unknown option", StringComparison.Ordinal)))
        {
            errors.RemoveAll(e => e.StartsWith("unexpected argument", StringComparison.Ordinal));
        }
        foreach (var token in parse.Tokens.TakeWhile(t => t.Type != TokenType.DoubleDash))
        {
            if (token.Type == TokenType.Argument && token.Value.Length > 1 && token.Value[0] == '-' && (char.IsLetter(token.Value[1]) || token.Value[1] == '-')
                && !errors.Any(e => e.Contains(token.Value, StringComparison.Ordinal)))
            {
                errors.Add($"unknown option '{token.Value}' (arguments for llama-bench go after --)");
            }
        }

        return errors;
    }

    public static int Run(string[] args, CliContext context)
    {
        var filtered = SecretFilter.Apply(context, SecretFilter.Secrets(args, context.Environment));
        try
        {
            return RunFiltered(args, filtered);
        }
        finally
        {
            if (!ReferenceEquals(filtered, context))
            {
                filtered.Out.Flush();
                filtered.Error.Flush();
            }
        }
    }

    private static int RunFiltered(string[] args, CliContext context)
    {
        ParseResult parse;
        try
        {
            parse = Root(context).Parse(args);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An argument starting with @ names a response file; one that cannot be read is a usage error.
            context.Error.WriteLine($"error: cannot read response file: {e.Message}");
            return ExitCodes.InputError;
        }

        var errors = Errors(parse);
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                context.Error.WriteLine($"error: {error}");
            }

            context.Error.WriteLine("Run 'benchgate --help' for usage.");
            // git bisect run reads 2 as "bad": a mistyped bisect-step must stop the bisection instead.
            return parse.CommandResult.Command.Name == "bisect-step" ? Commands.BisectCommand.Abort : ExitCodes.InputError;
        }

        return parse.Invoke(new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false });
    }

    private static Command Root(CliContext context)
    {
        // A plain command named benchgate, not RootCommand: usage lines then say "benchgate", not the assembly's
        // name (BenchGate.Cli under dotnet run).
        var root = new Command("benchgate", """
            BenchGate: a performance-regression gate for llama.cpp. Ingests every llama-bench output into one
            history (SQLite by default) and tells, with statistics, whether a change made inference slower.

            Exit codes: 0 success (no regression), 1 regression found, 2 usage or input error,
            3 inconclusive (with --fail-on-inconclusive), 70 internal error.
            """)
        {
            Options = { new System.CommandLine.Help.HelpOption(), new VersionOption() },
        };
        root.Subcommands.Add(IngestCommand.Create(context));
        root.Subcommands.Add(MigrateCommand.Create(context));
        root.Subcommands.Add(ShowCommand.Create(context));
        root.Subcommands.Add(DetectCommand.Create(context));
        root.Subcommands.Add(TrendCommand.Create(context));
        root.Subcommands.Add(DashboardCommand.Create(context));
        root.Subcommands.Add(AlertsCommand.Create(context));
        root.Subcommands.Add(BaselineCommand.Create(context));
        root.Subcommands.Add(CompareCommand.Create(context));
        root.Subcommands.Add(MemcheckCommand.Create(context));
        root.Subcommands.Add(RunCommand.Create(context));
        root.Subcommands.Add(CiCommand.Create(context));
        root.Subcommands.Add(BisectCommand.Create(context));
        root.Subcommands.Add(BisectCommand.CreateStep(context));
        root.Subcommands.Add(ProfileCommand.Create(context));
        root.Subcommands.Add(SyncCommand.Create(context));
        return root;
    }
}
