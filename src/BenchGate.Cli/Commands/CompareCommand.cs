using System.CommandLine;
using BenchGate.Reports;
using BenchGate.Workflows.Compare;

namespace BenchGate.Cli.Commands;

/// <summary>
/// <c>benchgate compare</c>: llama.cpp's scripts/compare-llama-bench.py with its options, plus detect's verdict and
/// interval on every row and the spec's --ci-mode, --baseline-db, --save-baseline and --json-output.
/// </summary>
internal static class CompareCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Option<string[]>("--input", "-i") { Description = "input file: a llama-bench database, json, jsonl, csv, md or sql text, or test-backend-ops output (repeatable); default ./llama-bench.sqlite or the only *.sqlite here", Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
        var baseline = new Option<string?>("--baseline", "-b") { Description = "baseline build: stored build_commit, or a commit hash (prefix), branch or tag resolved through git; default the newest master/main commit with data" };
        var compare = new Option<string?>("--compare", "-c") { Description = "compared build, as -b; default the most recently benchmarked build not on master/main" };
        var tool = new Option<string?>("--tool", "-t") { Description = "llama-bench or test-backend-ops; default detected from the input" };
        tool.AcceptOnlyFromAmong("llama-bench", "test-backend-ops");
        var output = new Option<string>("--format", "-o", "--output") { Description = "table format: pipe (markdown), github, csv, plain (-o/--output as compare-llama-bench.py spells it)", DefaultValueFactory = _ => "pipe" };
        output.AcceptOnlyFromAmong("pipe", "markdown", "github", "csv", "plain");
        var show = new Option<string?>("--show", "-s") { Description = "comma-separated key columns to show (columns that differ are always added)" };
        var plot = new Option<string?>("--plot") { Description = "also draw a PNG of the two builds against --plot-x" };
        var plotX = new Option<string>("--plot-x", "--plot_x") { Description = "x axis of --plot: n_depth, n_prompt, n_gen or a key column", DefaultValueFactory = _ => "n_depth" };
        var plotLog = new Option<bool>("--plot-log-scale", "--plot_log_scale") { Description = "log2 x axis" };
        var ciMode = new Option<bool>("--ci-mode") { Description = "markdown fit for a PR comment on stdout, appended to $GITHUB_STEP_SUMMARY; exit 1 on regression, as detect" };
        var baselineDb = new Option<string?>("--baseline-db") { Description = "read the baseline from this database instead of the inputs (-b or --baseline-name inside it; default its newest build)" };
        var baselineName = new Option<string?>("--baseline-name") { Description = "a baseline saved with 'benchgate baseline save' in --baseline-db" };
        var saveBaseline = new Option<string?>("--save-baseline") { Description = "save the compared build's runs as a baseline of this name in --baseline-db (or in the input database)" };
        var jsonOutput = new Option<string?>("--json-output") { Description = "comparison as JSON (schema: docs/compare-report.schema.json)" };
        var threshold = ThresholdOption.Create(context);
        var failOnInconclusive = new Option<bool>("--fail-on-inconclusive") { Description = "with --ci-mode, exit 3 when a change cannot be told from noise" };
        var matrix = new Option<string?>("--matrix") { Description = "also show the rows as tests × models, backends or both (model, backend, model,backend: the default), with each column's geometric-mean speedup", Arity = ArgumentArity.ZeroOrOne };
        var matrixPlot = new Option<string?>("--matrix-plot") { Description = "also draw the matrix as a PNG: a panel per model or backend, each test's speedup with its interval, the geometric mean last (implies --matrix)" };
        var verbose = new Option<bool>("--verbose") { Description = "say on stderr how the builds were chosen and how long each phase took" };
        var gitDir = new Option<string?>("--git-dir") { Description = "git repository that resolves -b/-c (default: the current directory's)" };
        var command = new Command("compare", """
            Compare two builds as llama.cpp's compare-llama-bench.py does (same options, same numbers where it is
            right), with detect's verdict and confidence interval on every row. Never averages different benchmarks
            into one row. Exit codes: 0, or with --ci-mode 1 on regression; 2 usage or input error.
            """)
        {
            input, baseline, compare, tool, output, show, plot, plotX, plotLog, ciMode, baselineDb, baselineName, saveBaseline, jsonOutput, threshold, failOnInconclusive, gitDir, matrix, matrixPlot, verbose,
        };
        command.SetAction(p => CommandErrors.Run(context, () => ExitCodes.For(CompareWorkflow.Run(context.Host, new CompareRequest(
            p.GetValue(input) ?? [], p.GetValue(baseline), p.GetValue(compare), p.GetValue(tool), Format(p.GetValue(output)!),
            p.GetValue(show)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), p.GetValue(plot), p.GetValue(plotX)!, p.GetValue(plotLog),
            p.GetValue(ciMode), p.GetValue(baselineDb), p.GetValue(baselineName), p.GetValue(saveBaseline), p.GetValue(jsonOutput), p.GetValue(threshold),
            p.GetValue(failOnInconclusive), p.GetValue(gitDir), p.GetValue(verbose), MatrixOption.Value(p, matrix), p.GetValue(matrixPlot))))));
        return command;
    }

    private static TableFormat Format(string name) => name switch
    {
        "github" => TableFormat.Github,
        "csv" => TableFormat.Csv,
        "plain" => TableFormat.Plain,
        _ => TableFormat.Pipe,
    };
}
