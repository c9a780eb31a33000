using BenchGate.Ingest;
using BenchGate.Ingest.Readers;
using BenchGate.Model;
using BenchGate.Processes;
using BenchGate.Profiling;
using BenchGate.Reports;
using BenchGate.Storage;

namespace BenchGate.Workflows.Profile;

/// <summary>
/// profile's work: both builds' llama-bench under perf record (and perf stat when asked or when symbols are missing),
/// the two profiles compared function by function, the reports written, and the profile attached to an alert.
/// </summary>
public static class ProfileWorkflow
{
    /// <summary>Below this share of named samples a build "has no symbols" and perf stat's counters are taken.</summary>
    public const double MinResolvedShare = 0.5;

    public static ProfileComparison Run(WorkflowHost host, ProfileRequest req)
    {
        foreach (var (flag, path) in new[] { ("--bench", req.Bench), ("--baseline-bench", req.BaselineBench) })
        {
            if (!File.Exists(path))
            {
                throw new InputException($"{flag} {path}: no such file (the llama-bench binary of that build)");
            }
        }

        var perf = new PerfTool(req.Perf, req.Timeout);
        if (perf.Version() is null)
        {
            throw new ExternalToolException($"{req.Perf} not found: profile needs Linux perf (Debian: apt-get install linux-perf)", "perf");
        }

        var alert = req.AlertId is { } id ? FindAlert(req.Database, id) : null;
        var keep = req.WorkDirectory is not null;
        var dir = Path.GetFullPath(req.WorkDirectory ?? Directory.CreateTempSubdirectory("benchgate-profile-").FullName);
        Directory.CreateDirectory(dir);
        try
        {
            var args = LlamaBenchProcess.Arguments(req.Args);
            (string Role, string Bench)[] builds = [("baseline", req.BaselineBench), ("new", req.Bench)];
            var (profiles, speeds) = host.Status.Show("profile: starting", status =>
            {
                var sides = new List<(CpuProfile Profile, List<BenchmarkRecord> Records)>();
                foreach (var (role, bench) in builds)
                {
                    var data = Path.Combine(dir, role + ".perf.data");
                    Say(host, status, $"profile: {role}: perf record -F {req.Frequency} {bench}");
                    var run = perf.Record(bench, args, data, req.Frequency);
                    var records = Records(run.Stdout, bench);
                    var profile = PerfReportParser.Parse(perf.Report(PerfReportParser.Arguments(data), data), data);
                    Say(host, status, $"profile: {role}: {Words.Count(profile.TotalSamples, "sample")} in {Words.Count(profile.Functions.Count, "function")}, {Words.Count(records.Count, "result")}");
                    sides.Add((profile, records));
                }

                return (sides, ProfiledSpeeds.Pair(sides[0].Records, sides[1].Records));
            });

            var notes = new List<string>();
            var missing = new[] { ("baseline", profiles[0].Profile), ("new", profiles[1].Profile) }.Where(s => s.Item2.ResolvedShare < MinResolvedShare).Select(s => s.Item1).ToList();
            if (missing.Count > 0)
            {
                notes.Add($"The {string.Join(" and ", missing)} build{(missing.Count > 1 ? "s have" : " has")} names for fewer than half of {(missing.Count > 1 ? "their" : "its")} samples (stripped, or built without symbols): the functions above are addresses, and perf stat's counters are given instead. Build with -g (RelWithDebInfo) for names.");
            }

            IReadOnlyList<CounterChange>? counters = null;
            if (req.Stat || missing.Count > 0)
            {
                var stats = new List<IReadOnlyList<CounterValue>>();
                foreach (var (role, bench) in builds)
                {
                    host.Out.WriteLine($"profile: {role}: perf stat {bench}");
                    var statFile = Path.Combine(dir, role + ".perf-stat.txt");
                    stats.Add(PerfStatParser.Parse(perf.Stat(bench, args, PerfStatParser.Events, statFile).PerfText, statFile));
                }

                counters = ProfileComparison.PairCounters(stats[0], stats[1]);
            }

            IReadOnlyList<GpuKernelChange>? kernels = null;
            if (req.Nsys != NsysMode.Off)
            {
                (var note, kernels) = NsightSystems.Run(host, req, args, dir, keep);
                if (note is not null)
                {
                    notes.Add(note);
                }
            }

            if (keep)
            {
                notes.Add($"perf's data is kept in {dir} (perf report -i {Path.Combine(dir, "new.perf.data")}).");
            }

            var aliases = Path.GetFileName(req.BaselineBench) is var oldName && Path.GetFileName(req.Bench) is var newName && oldName != newName
                ? new Dictionary<string, string> { [oldName] = newName } : null;
            var result = new ProfileComparison(req.BaselineBench, req.Bench, req.Args, req.Frequency, ProfileDelta.Compare(profiles[0].Profile, profiles[1].Profile, aliases),
                speeds, counters, alert is null ? null : $"alert {alert.Id}, {alert.Benchmark} ({alert.Metric})", notes, kernels);
            Write(host, req, result);
            return result;
        }
        finally
        {
            if (!keep)
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    /// <summary>The profile's headline: the total change and the functions that changed clearly, largest first.</summary>
    public static string Summary(ProfileComparison p)
    {
        var clear = p.Cpu.Functions.Where(f => f.Clear).Take(3).Select(f => $"{f.Symbol} {(f.CostChange * 100).ToString("+0.0;-0.0;0.0", System.Globalization.CultureInfo.InvariantCulture)}%").ToList();
        var total = double.IsFinite(p.Cpu.TotalRatio) ? ValueFormat.Change((p.Cpu.TotalRatio - 1) * 100) : "?";
        return $"{(p.Cpu.New.CountsTime ? "CPU time" : p.Cpu.New.Event)} {total} in total; " + (clear.Count > 0 ? string.Join(", ", clear) + " of the baseline's cost" : "no function changed by more than its sampling noise");
    }

    private static void Write(WorkflowHost host, ProfileRequest req, ProfileComparison result)
    {
        var markdown = ProfileMarkdown.Render(result, req.Top);
        var json = ProfileJson.Render(result, req.Top);
        if (req.Output is { } md)
        {
            if (req.Append && File.Exists(md))
            {
                File.AppendAllText(md, (File.ReadAllText(md).EndsWith('\n') ? "\n" : "\n\n") + markdown);
            }
            else
            {
                ReportFiles.Write(md, markdown);
            }
        }

        if (req.JsonOutput is { } jsonPath)
        {
            ReportFiles.Write(jsonPath, json);
        }

        if (host.Variable("GITHUB_STEP_SUMMARY") is { } summary)
        {
            File.AppendAllText(summary, markdown);
        }

        if (req.AlertId is { } alertId)
        {
            using var store = ResultStores.Open(req.Database, create: false);
            var id = new ProfileLog(store).Attach(alertId, req.BaselineBench, req.Bench, string.Join(' ', req.Args), Summary(result), markdown, json, DateTimeOffset.UtcNow);
            host.Out.WriteLine($"profile {id} attached to alert {alertId} in {ResultStores.Describe(req.Database)} (benchgate alerts show {alertId})");
        }

        if (req.Output is null)
        {
            host.Out.Write(markdown);
        }

        host.Out.WriteLine($"profile: {Summary(result)}");
    }

    private static Alert FindAlert(string database, long id)
    {
        using var store = ResultStores.Open(database, create: false);
        return new AlertLog(store).Get(id) ?? throw new InputException($"--alert {id}: no such alert in {ResultStores.Describe(database)}");
    }

    private static List<BenchmarkRecord> Records(string stdout, string bench)
    {
        try
        {
            using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stdout));
            return [.. JsonlReader.Read(stream).Select(RecordNormalizer.Normalize)];
        }
        catch (InputException e)
        {
            throw e.WithInput(bench);
        }
    }

    private static void Say(WorkflowHost host, IProgress<string>? status, string line)
    {
        host.Out.WriteLine(line);
        status?.Report(line);
    }
}
