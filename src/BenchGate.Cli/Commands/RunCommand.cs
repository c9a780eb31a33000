using System.CommandLine;
using BenchGate.Workflows.Run;

namespace BenchGate.Cli.Commands;

/// <summary><c>benchgate run</c>: runs llama-bench and streams its results into the database.</summary>
internal static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var bench = BenchOption.Create("the llama-bench binary");
        var database = DatabaseOption.Create(context);
        var log = new Option<string?>("--log") { Description = "file for llama-bench's stderr (default: <database>.llama-bench.log)" };
        var timeout = DurationOption.Create("--timeout", "seconds before a llama-bench run is killed (nothing of it is stored)", 3600);
        var commit = new Option<string?>("--commit") { Description = "commit under test (default $GITHUB_SHA, else llama-bench's build_commit)" };
        var branch = new Option<string?>("--branch") { Description = "branch (default $GITHUB_HEAD_REF, $GITHUB_REF_NAME or git's current branch)" };
        var machine = new Option<string?>("--machine") { Description = "machine (default $RUNNER_NAME or the host name)" };
        var untilConfident = new Option<bool>("--repeat-until-confident") { Description = "repeat while any verdict against --baseline-db is Inconclusive" };
        var maxRuns = new Option<int>("--max-runs") { Description = "most runs for --repeat-until-confident, or pairs for --interleave", DefaultValueFactory = _ => 5 };
        var baseline = new Option<string?>("--baseline-db", "--baseline", "--baseline-database")
        {
            Description = "the baseline: where --interleave stores the baseline binary's runs (default: --database), and what --repeat-until-confident judges against (any format ingest reads)",
        };
        var baselineCommit = new Option<string?>("--baseline-commit") { Description = "only the baseline runs of this commit" };
        var interleave = new Option<string?>("--interleave") { Description = "a baseline llama-bench binary run alternately with --bench (ABAB…), so drift hits both alike" };
        var args = new Argument<string[]>("llama-bench-args") { Description = "llama-bench's arguments, after --", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("run", """
            Run llama-bench (asking it for jsonl, which keeps every repetition, and --progress) and store each result
            as it arrives, with commit, branch and machine from git and the CI environment, llama-bench's stderr as a
            log and the process's peak memory. A failed or killed run stores nothing.
            """)
        {
            bench, database, log, timeout, commit, branch, machine, untilConfident, maxRuns, baseline, baselineCommit, interleave, args,
        };
        command.SetAction(p => CommandErrors.Run(context, () =>
        {
            RunWorkflow.Run(context.Host, new RunRequest(
            p.GetValue(bench)!, p.GetValue(database)!, p.GetValue(log), TimeSpan.FromSeconds(p.GetValue(timeout)), p.GetValue(commit), p.GetValue(branch),
            p.GetValue(machine), p.GetValue(untilConfident), Math.Max(1, p.GetValue(maxRuns)), p.GetValue(baseline), p.GetValue(baselineCommit),
            p.GetValue(interleave), p.GetValue(args) ?? []));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
