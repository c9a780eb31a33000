using System.CommandLine;
using BenchGate.Cli.Rendering;
using BenchGate.Ingest;
using BenchGate.Storage;
using BenchGate.Workflows.Ingest;

namespace BenchGate.Cli.Commands;

/// <summary><c>benchgate ingest</c>: llama-bench outputs of any format and version into the results database.</summary>
internal static class IngestCommand
{
    public static Command Create(CliContext context)
    {
        var inputs = new Argument<string[]>("inputs")
        {
            Description = "llama-bench outputs (sqlite database, sql, json, jsonl, csv or md); '-' reads stdin",
            Arity = ArgumentArity.OneOrMore,
        };
        // System.CommandLine hands unknown --options to a string argument; a file name never starts with '--'.
        inputs.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => t.Value.StartsWith("--", StringComparison.Ordinal)))
            {
                result.AddError($"unknown option '{token.Value}'");
            }

            if (result.Tokens.Count(t => t.Value == "-") > 1)
            {
                result.AddError("'-' (stdin) can be given only once");
            }
        });
        var databaseOption = DatabaseOption.Create(context);
        var format = new Option<InputFormat>("--format", "-f")
        {
            Description = "input format; auto detects it from the content",
            DefaultValueFactory = _ => InputFormat.Auto,
        };
        var commit = new Option<string?>("--commit") { Description = "commit under test (default: llama-bench's build_commit)" };
        var branch = new Option<string?>("--branch") { Description = "branch of the commit" };
        var runId = new Option<string?>("--run-id") { Description = "id of the run (a source holding several runs gets .2, .3, ...)" };
        var machine = new Option<string?>("--machine") { Description = "machine or CI runner that produced the results" };
        var allowDuplicates = new Option<bool>("--allow-duplicates") { Description = "ingest content that was ingested before" };
        var command = new Command("ingest", """
            Store llama-bench results. Every llama-bench version since 2023 lands in one schema; one invocation is
            one run; samples are kept. All inputs go in one transaction: on any error nothing is stored.
            """)
        {
            inputs, databaseOption, format, commit, branch, runId, machine, allowDuplicates,
        };
        command.SetAction(parse =>
        {
            var database = parse.GetValue(databaseOption)!;
            var existed = StoreLocation.Of(database).Exists;
            return CommandErrors.Run(context, () => Execute(parse, database), onFailure: () => context.Error.WriteLine(existed
                ? $"note: nothing was stored; {ResultStores.Describe(database)} is as it was before."
                : $"note: nothing was stored; {ResultStores.Describe(database)} was not created."));
        });
        return command;

        int Execute(ParseResult parse, string database)
        {
            var outcomes = IngestWorkflow.Run(context.Host, new IngestRequest(parse.GetValue(inputs)!, database, new IngestOptions(
                parse.GetValue(format), parse.GetValue(commit), parse.GetValue(branch), parse.GetValue(machine), parse.GetValue(runId),
                parse.GetValue(allowDuplicates)), context.OpenStdin));
            IngestReport.Write(context, ResultStores.Describe(database), outcomes);
            return ExitCodes.Ok;
        }
    }
}
