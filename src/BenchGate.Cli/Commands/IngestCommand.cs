using System.CommandLine;
using BenchGate.Cli.Rendering;
using BenchGate.Ingest;
using BenchGate.Storage;
using BenchGate.Storage.Sqlite;
using BenchGate.Workflows.Compare;
using Spectre.Console;

namespace BenchGate.Cli.Commands;

/// <summary><c>benchgate ingest</c>: llama-bench outputs of any format and version into the results database.</summary>
internal static class IngestCommand
{
    /// <summary>Reports synchronously on the ingesting thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class StatusProgress(Spectre.Console.StatusContext status) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress value) =>
            status.Status = ($"ingesting {Spectre.Console.Markup.Escape(value.Source)}: {value.Rows:N0} rows, {value.Bytes / 1e6:F0} MB");
    }

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
        });
        var database = DatabaseOption.Create(context);
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
            inputs, database, format, commit, branch, runId, machine, allowDuplicates,
        };
        command.SetAction(parse => Execute(context, parse.GetValue(inputs)!, parse.GetValue(database)!, new IngestOptions(
            parse.GetValue(format), parse.GetValue(commit), parse.GetValue(branch), parse.GetValue(machine), parse.GetValue(runId),
            parse.GetValue(allowDuplicates))));
        return command;
    }

    private static int Execute(CliContext context, string[] inputs, string database, IngestOptions options)
    {
        if (inputs.Count(i => i == "-") > 1)
        {
            context.Error.WriteLine("error: '-' (stdin) can be given only once");
            return ExitCodes.InputError;
        }

        IResultStore? store = null;
        var existed = StoreLocation.Of(database).Exists;
        var shown = ResultStores.Describe(database);
        return CommandErrors.Run(context, () =>
        {
            store = ResultStores.Open(database);
            var outcomes = new List<IngestOutcome>();
            var opened = store;
            void Work(IProgress<IngestProgress>? progress)
            {
                using var tx = opened.BeginIngest();
                var ingestor = new Ingestor(tx, new SqliteDatabaseFileReader(), progress);
                foreach (var input in inputs)
                {
                    outcomes.Add(input == "-" ? StdinSource.Ingest(ingestor, context.OpenStdin(), options)
                        : BackendOpsInput.Is(input) ? ingestor.IngestBackendOps(input, FormatDetector.IsSqliteFile(input) ? SqliteBackendOps.Read(input) : BackendOps.BackendOpsReader.Read(input))
                        : ingestor.IngestFile(input, options));
                }

                tx.Commit();
            }

            // A live status line on a terminal only: CI logs stay plain and parseable.
            if (context.Interactive)
            {
                context.Terminal.Status().Start("ingesting…", status => Work(new StatusProgress(status)));
            }
            else
            {
                Work(null);
            }

            store.Dispose();
            IngestReport.Write(context, shown, outcomes);
            return ExitCodes.Ok;
        }, onFailure: () =>
        {
            if (store is not null)
            {
                store.DiscardIfCreated();
                store.Dispose();
            }

            context.Error.WriteLine(existed ? $"note: nothing was stored; {shown} is as it was before." : $"note: nothing was stored; {shown} was not created.");
        });
    }
}
