using System.CommandLine;
using BenchGate.Workflows.Memcheck;

namespace BenchGate.Cli.Commands;

/// <summary><c>benchgate memcheck</c>: the spec's memory-leak-monitor, measuring as well as parsing.</summary>
internal static class MemcheckCommand
{
    public static Command Create(CliContext context)
    {
        var benchmarkOutput = new Option<string[]>("--benchmark-output") { Description = "llama.cpp verbose log (llama-bench -v stderr): buffers per device and context (repeatable)", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false };
        var testLog = new Option<string[]>("--test-log") { Description = "test log with AddressSanitizer/LeakSanitizer or Valgrind reports, ctest output attributes them to tests (repeatable)", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false };
        var database = DatabaseOption.Create(context, "database whose memory_leak_logs receives every finding");
        var noRecord = new Option<bool>("--no-record") { Description = "do not store the findings" };
        var commit = new Option<string?>("--commit") { Description = "commit the findings belong to (default $GITHUB_SHA)", DefaultValueFactory = _ => context.Environment("GITHUB_SHA") };
        var report = new Option<string>("--report") { Description = "markdown report", DefaultValueFactory = _ => "memory-report.md" };
        var jsonOutput = new Option<string?>("--json-output") { Description = "JSON report (schema: docs/memory-report.schema.json)" };
        var leak = new Option<double?>("--leak-threshold-mb") { Description = "memory growth or loss counted as a leak; default 1 (or memory.leak_threshold_mb in --config)" };
        var excessive = new Option<double?>("--excessive-threshold-gb") { Description = "peak memory counted as excessive; default 16 (or memory.excessive_threshold_gb)" };
        var config = new Option<string?>("--config") { Description = "benchgate.yaml with a memory section" };
        var run = new Option<bool>("--run") { Description = "run the command after -- and sample its memory (RSS; GPU memory where nvidia-smi exists)" };
        var repeat = new Option<int>("--repeat") { Description = "with --run: run the command this many times (each run is one value of the peak-memory comparison)", DefaultValueFactory = _ => 1 };
        var interval = new Option<int>("--interval-ms") { Description = "with --run: sampling interval", DefaultValueFactory = _ => 20 };
        var timeout = DurationOption.Create("--timeout", "with --run: seconds before the command is killed", 3600);
        var name = new Option<string?>("--name") { Description = "with --run: the name findings are stored under (default: the command line)" };
        var baselineCommit = new Option<string?>("--baseline-commit") { Description = "with --run: compare peak memory with this commit's runs in memory_leak_logs" };
        var threshold = ThresholdOption.Create(context, "peak-memory regression threshold");
        var command = new Argument<string[]>("command") { Description = "with --run: the command to measure, after --", Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("memcheck", """
            Find memory leaks and excessive memory use: llama.cpp's buffer lines in verbose logs, sanitizer and Valgrind
            leak reports in test logs, and (--run) a command's own memory sampled over time, where a leak is growth
            through the steady phase. Findings go to memory_leak_logs. Exit codes: 0 clean, 1 leak, excessive use,
            growth or peak-memory regression, 2 usage or input error.
            """)
        {
            benchmarkOutput, testLog, database, noRecord, commit, report, jsonOutput, leak, excessive, config, run, repeat, interval, timeout, name, baselineCommit, threshold, command,
        };
        cmd.SetAction(p => CommandErrors.Run(context, () => ExitCodes.For(MemcheckWorkflow.Run(context.Host, new MemcheckRequest(
            p.GetValue(benchmarkOutput) ?? [], p.GetValue(testLog) ?? [], p.GetValue(database)!, !p.GetValue(noRecord), p.GetValue(commit), p.GetValue(report)!,
            p.GetValue(jsonOutput), p.GetValue(leak), p.GetValue(excessive), p.GetValue(config), p.GetValue(run), Math.Max(1, p.GetValue(repeat)),
            TimeSpan.FromMilliseconds(Math.Max(1, p.GetValue(interval))), TimeSpan.FromSeconds(p.GetValue(timeout)), p.GetValue(name), p.GetValue(baselineCommit),
            p.GetValue(threshold), p.GetValue(command) ?? [])))));
        return cmd;
    }
}
