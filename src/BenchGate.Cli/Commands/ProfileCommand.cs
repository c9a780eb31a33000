using System.CommandLine;
using System.Globalization;
using BenchGate.Workflows.Profile;

namespace BenchGate.Cli.Commands;

/// <summary><c>benchgate profile</c>: where a regression's time went, from both builds' llama-bench under Linux perf.</summary>
internal static class ProfileCommand
{
    public static Command Create(CliContext context)
    {
        var bench = new Option<string>("--bench") { Description = "the new build's llama-bench", Required = true };
        var baseline = new Option<string>("--baseline-bench") { Description = "the baseline build's llama-bench", Required = true };
        var output = new Option<string?>("--output", "-o") { Description = "markdown report file (default: printed)" };
        var append = new Option<bool>("--append") { Description = "append the markdown to --output (a detect report) instead of replacing it" };
        var json = new Option<string?>("--json-output") { Description = "JSON report file (docs/profile-report.schema.json)" };
        var frequency = Ranged("--frequency", "perf record's samples a second of CPU time", 999, 1, 100_000);
        var top = Ranged("--top", "how many functions the reports list", 15, 1, 10_000);
        var stat = new Option<bool>("--stat") { Description = "also count with perf stat (taken anyway when a build has no symbols)" };
        var nsys = new Option<bool>("--nsys") { Description = "run NVIDIA Nsight Systems even where nvidia-smi finds no GPU, and say in the report when nsys is not installed (by default it runs where nsys is installed and an NVIDIA GPU is found)" };
        var noNsys = new Option<bool>("--no-nsys") { Description = "never run NVIDIA Nsight Systems" };
        var alert = new Option<long?>("--alert") { Description = "attach the profile to this stored alert (see 'benchgate alerts show')" };
        var database = DatabaseOption.Create(context);
        var workDir = new Option<string?>("--work-dir") { Description = "keep perf's data files here (default: a temporary directory, removed)" };
        var timeout = DurationOption.Create("--timeout", "seconds before one profiled run is killed", 3600);
        var args = new Argument<string[]>("llama-bench-args") { Description = "llama-bench's arguments, after --", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("profile", """
            Profile a regression: run the baseline build's and the new build's llama-bench, with the same arguments, under
            Linux perf (perf record, then perf report), and report the functions whose cost changed most, beside the
            speeds llama-bench measured. A change smaller than the sampling noise is marked as such. Builds without
            symbols get perf stat's counters instead. The report can be appended to a detect report (--output FILE
            --append) or attached to an alert (--alert ID).
              benchgate profile --bench build/bin/llama-bench --baseline-bench ../master/build/bin/llama-bench -- -m model.gguf -p 512 -n 0
            """)
        {
            Options = { bench, baseline, output, append, json, frequency, top, stat, nsys, noNsys, alert, database, workDir, timeout },
            Arguments = { args },
        };
        command.SetAction(p => CommandErrors.Run(context, () =>
        {
            if (p.GetValue(nsys) && p.GetValue(noNsys))
            {
                throw new InputException("--nsys and --no-nsys contradict each other: give one");
            }

            if (p.GetValue(append) && p.GetValue(output) is null)
            {
                throw new InputException("--append needs --output FILE: the report to append the profile to");
            }

            ProfileWorkflow.Run(context.Host, new ProfileRequest(p.GetValue(bench)!, p.GetValue(baseline)!, p.GetValue(args) ?? [], p.GetValue(output), p.GetValue(append),
                p.GetValue(json), p.GetValue(frequency), p.GetValue(top), p.GetValue(stat), p.GetValue(noNsys) ? NsysMode.Off : p.GetValue(nsys) ? NsysMode.Required : NsysMode.Auto, p.GetValue(alert), p.GetValue(database)!,
                p.GetValue(workDir), TimeSpan.FromSeconds(p.GetValue(timeout)), context.Environment("BENCHGATE_PERF") ?? "perf"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Option<int> Ranged(string name, string description, int value, int min, int max)
    {
        var option = new Option<int>(name) { Description = $"{description} (default {value})", DefaultValueFactory = _ => value };
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, CultureInfo.InvariantCulture, out var n) && (n < min || n > max))
            {
                r.AddError($"{name} must be between {min} and {max}, got {n}");
            }
        });
        return option;
    }
}
