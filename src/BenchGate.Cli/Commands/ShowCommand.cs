using System.CommandLine;
using BenchGate.Cli.Rendering;
using BenchGate.Storage;

namespace BenchGate.Cli.Commands;

/// <summary><c>benchgate show</c>: what the database holds.</summary>
internal static class ShowCommand
{
    public enum OutputFormat
    {
        Table,
        Json,
    }

    public static Command Create(CliContext context)
    {
        var database = DatabaseOption.Create(context);
        var format = new Option<OutputFormat>("--format") { Description = "table (for people) or json (for scripts)", DefaultValueFactory = _ => OutputFormat.Table };
        var command = new Command("show", "Show what is stored: commits, machines, benchmark configurations, runs and rows.")
        {
            database, format,
        };
        command.SetAction(parse => CommandErrors.Run(context, () =>
        {
            using var store = ResultStores.Open(parse.GetValue(database)!, create: false);
            var summary = store.Summarize();
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                context.Out.WriteLine(SummaryJson.Serialize(summary));
            }
            else
            {
                SummaryTables.Write(context.Terminal, summary);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
