using System.CommandLine;
using System.Globalization;
using BenchGate.Bisect;
using BenchGate.Workflows.Bisect;

namespace BenchGate.Cli.Commands;

/// <summary>
/// <c>benchgate bisect</c>: from a regression to the commit that caused it, with statistics; and <c>benchgate
/// bisect-step</c>, one commit's verdict as the exit code <c>git bisect run</c> reads.
/// </summary>
internal static class BisectCommand
{
    /// <summary>git bisect run's codes: skip the commit, and stop the bisection (an error that no commit would fix).</summary>
    public const int Skip = 125;
    public const int Abort = 128;

    public static Command Create(CliContext context)
    {
        var o = new BisectOptions(context, reports: true);
        var command = new Command("bisect", """
            Find the first commit between --good and --bad (first parent) that made a llama-bench benchmark slower.
            Each probed commit is built in its own git worktree by --build-cmd and run in rounds beside both ends
            (good, probe, bad, alternating), until its speed is confidently the good end's or the bad end's. A commit
            that does not build is skipped. Runs and verdicts are stored: a second bisection of the range costs nothing.
            Exit code 0 when the first bad commit is found, 3 when the ends do not differ or skipped commits hide it.
            """);
        o.AddTo(command);
        command.SetAction(p => CommandErrors.Run(context, () =>
            BisectWorkflow.Run(context.Host, o.Request(p)).Outcome == BisectOutcome.Found ? ExitCodes.Ok : ExitCodes.Inconclusive));
        return command;
    }

    public static Command CreateStep(CliContext context)
    {
        var o = new BisectOptions(context, reports: false);
        var commit = new Option<string>("--commit") { Description = "the commit to judge (default HEAD: the one git bisect checked out)", DefaultValueFactory = _ => "HEAD" };
        var command = new Command("bisect-step", """
            Judge one commit for `git bisect run`: exit 0 when its speed is the good end's, 1 when it is the bad end's,
            125 (skip) when it does not build or stays unclear after --max-runs rounds, 128 (stop) on an error. The ends
            are measured once and kept in the database, like every verdict.
              git bisect start BAD GOOD
              git bisect run benchgate bisect-step --good GOOD --bad BAD --build-cmd CMD -d bisect.sqlite -- -m model.gguf
            """);
        o.AddTo(command);
        command.Options.Add(commit);
        command.SetAction(p =>
        {
            var code = CommandErrors.Run(context, () =>
            {
                var step = BisectWorkflow.Step(context.Host, o.Request(p), p.GetValue(commit)!);
                return step.Probe switch
                {
                    null => Abort,
                    { State: ProbeState.Good, Confident: true } => ExitCodes.Ok,
                    { State: ProbeState.Bad, Confident: true } => 1,
                    _ => Skip,
                };
            });
            // Any other code would read as "bad" to git bisect run: an error stops the bisection instead.
            return code is ExitCodes.Ok or 1 or Skip ? code : Abort;
        });
        return command;
    }

    /// <summary>The options bisect and bisect-step share.</summary>
    private sealed class BisectOptions(CliContext context, bool reports)
    {
        private readonly Option<string?> _good = new("--good") { Description = "the last commit known good (hash, tag or branch)" };
        private readonly Option<string?> _bad = new("--bad") { Description = "the first commit known bad" };
        private readonly Option<string> _repo = new("--repo") { Description = "the llama.cpp repository", DefaultValueFactory = _ => "." };
        private readonly Option<string> _buildCmd = new("--build-cmd")
        {
            Description = "shell command that builds a commit in its worktree ($BENCHGATE_COMMIT is set), e.g. 'cmake -B build -DGGML_CCACHE=ON && cmake --build build -t llama-bench -j'",
            Required = true,
        };
        private readonly Option<string> _bench = new("--bench") { Description = $"llama-bench, relative to a commit's worktree", DefaultValueFactory = _ => BenchOption.BuildPath };
        private readonly Option<string> _database = DatabaseOption.Create(context);
        private readonly Option<string?> _benchmark = new("--benchmark") { Description = "wildcard on the benchmark's title (*pp512*); default: the benchmark whose change between the ends is clearest" };
        private readonly Option<long?> _alert = new("--alert") { Description = "start from a stored alert: its commits, benchmark and metric" };
        private readonly Option<int> _maxRuns = new("--max-runs") { Description = "most rounds (good, probe, bad) per commit before the likelier side is taken", DefaultValueFactory = _ => 20 };
        private readonly Option<double> _confidence = new("--confidence") { Description = "each decision's confidence", DefaultValueFactory = _ => 0.99 };
        private readonly Option<string?> _workDir = new("--work-dir") { Description = "where worktrees and build logs go (default: benchgate-bisect in the repository's .git)" };
        private readonly Option<double> _timeout = DurationOption.Create("--timeout", "seconds before a llama-bench run is killed", 3600);
        private readonly Option<double> _buildTimeout = DurationOption.Create("--build-timeout", "seconds before a build is killed (the commit is skipped)", 7200);
        private readonly Option<string?> _machine = new("--machine") { Description = "machine the runs are stored under (default $RUNNER_NAME or the host name)" };
        private readonly Option<string?> _output = new("--output", "-o") { Description = "markdown report file" };
        private readonly Option<string?> _json = new("--json-output") { Description = "JSON report file (first_bad_commit: the culprit's full hash)" };
        private readonly Argument<string[]> _args = new("llama-bench-args") { Description = "llama-bench's arguments, after --", Arity = ArgumentArity.ZeroOrMore };

        public void AddTo(Command command)
        {
            _maxRuns.Validators.Add(r =>
            {
                if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, CultureInfo.InvariantCulture, out var n) && n is < 3 or > 1000)
                {
                    r.AddError($"--max-runs must be between 3 and 1000 rounds, got {n}");
                }
            });
            _confidence.Validators.Add(r =>
            {
                if (r.Tokens.Count == 1 && double.TryParse(r.Tokens[0].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var c) && c is not (>= 0.5 and < 1))
                {
                    r.AddError($"--confidence must be at least 0.5 and below 1, got {c.ToString(CultureInfo.InvariantCulture)}");
                }
            });
            foreach (var option in new Option[] { _good, _bad, _repo, _buildCmd, _bench, _database, _benchmark, _alert, _maxRuns, _confidence, _workDir, _timeout, _buildTimeout, _machine })
            {
                command.Options.Add(option);
            }

            if (reports)
            {
                command.Options.Add(_output);
                command.Options.Add(_json);
            }

            command.Arguments.Add(_args);
        }

        public BisectRequest Request(ParseResult p) => new(
            p.GetValue(_good), p.GetValue(_bad), p.GetValue(_repo)!, p.GetValue(_buildCmd)!, p.GetValue(_bench)!, p.GetValue(_database)!, p.GetValue(_benchmark),
            p.GetValue(_alert), p.GetValue(_maxRuns), p.GetValue(_confidence), p.GetValue(_workDir), TimeSpan.FromSeconds(p.GetValue(_timeout)),
            TimeSpan.FromSeconds(p.GetValue(_buildTimeout)), p.GetValue(_machine), p.GetValue(_output), p.GetValue(_json), p.GetValue(_args) ?? []);
    }
}
