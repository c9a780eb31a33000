using System.Runtime.CompilerServices;
using BenchGate.BackendOps;
using BenchGate.Charts;
using BenchGate.Compare;
using BenchGate.Detection;
using BenchGate.Git;
using BenchGate.Reports;
using BenchGate.Storage;

namespace BenchGate.Workflows.Compare;

/// <summary>What compare was asked: inputs, which builds, how to show the result, and whether to gate (--ci).</summary>
public sealed record CompareRequest(
    IReadOnlyList<string> Inputs, string? Baseline, string? Compare, string? Tool, TableFormat Output, IReadOnlyList<string>? Show, string? Plot, string PlotX,
    bool PlotLogScale, bool CiMode, string? BaselineDb, string? BaselineName, string? SaveBaseline, string? JsonOutput, double Threshold, bool FailOnInconclusive, string? GitDir,
    bool Verbose = false, string? Matrix = null, string? MatrixPlot = null);

/// <summary>compare's work: choose the builds, compare, render, save.</summary>
public static class CompareWorkflow
{
    public static GateOutcome Run(WorkflowHost host, CompareRequest req)
    {
        var log = new PhaseLog(host.Error, req.Verbose);
        // Asking git whether this is a repository runs git twice outside one: meanwhile the inputs are looked at.
        var probe = Task.Run(() => GitCommitGraph.TryOpen(req.GitDir ?? Directory.GetCurrentDirectory()));
        var inputs = CompareInputs.OrDefault(req.Inputs, req.Tool);
        var tool = req.Tool ?? CompareInputs.DetectTool(inputs);
        // --matrix-plot alone draws the default matrix (models and backends).
        var axis = req.Matrix is null && req.MatrixPlot is null ? (MatrixAxis?)null : CompareMatrix.ParseAxis(req.Matrix);
        if (axis is not null && tool == "test-backend-ops")
        {
            throw new InputException($"{(req.Matrix is null ? "--matrix-plot" : "--matrix")} arranges llama-bench benchmarks by model and backend; test-backend-ops results have neither");
        }

        var settings = new CompareSettings(new DetectionSettings(Thresholds.Uniform(req.Threshold)), req.Show, req.Plot is null ? null : req.PlotX);
        var git = probe.GetAwaiter().GetResult();
        log.Mark($"{tool}; inputs {string.Join(", ", inputs)}; git repository: {(git is null ? "none" : "yes")}");
        var (result, compared) = tool == "test-backend-ops" ? (BackendOps(inputs, req, settings, git), null) : LlamaBench(inputs, req, settings, git, log);
        log.Mark($"compared {result.Rows.Count} rows: {result.BaselineName} → {result.CompareName}");
        var matrix = axis is { } across ? CompareMatrix.From(result, across) : null;

        if (req.CiMode)
        {
            var markdown = CompareReport.Markdown(result) + (matrix is null ? "" : "\n" + CompareMatrixReport.Markdown(matrix));
            host.Out.Write(markdown);
            if (host.Environment("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary)
            {
                File.AppendAllText(summary, markdown + Environment.NewLine);
            }
        }
        else
        {
            TableRenderer.Write(CompareReport.Table(result), req.Output, host.Out);
            if (matrix is not null)
            {
                host.Out.Write("\n");
                host.Out.Write(TableRenderer.Render(CompareMatrixReport.Table(matrix), req.Output));
                if (CompareMatrixReport.GroupTable(matrix) is { } groups)
                {
                    host.Out.Write("\n");
                    host.Out.Write(TableRenderer.Render(groups, req.Output));
                }
            }

            log.Mark("table written");
            foreach (var note in result.Notes)
            {
                host.Error.WriteLine($"note: {note}");
            }
        }

        if (req.JsonOutput is not null)
        {
            Writing(req.JsonOutput, "the JSON report", () =>
            {
                using var file = File.Create(req.JsonOutput);
                CompareJson.Write(result, file, matrix);
            });
        }

        if (req.Plot is not null)
        {
            var model = ComparePlotModel.From(result, req.PlotX, req.PlotLogScale);
            Writing(req.Plot, "the plot", () => ComparePlot.SavePng(model, req.Plot));
        }

        if (req.MatrixPlot is not null && matrix is not null)
        {
            Writing(req.MatrixPlot, "the matrix plot", () => MatrixPlot.SavePng(matrix, $"{result.BaselineName} → {result.CompareName}", req.MatrixPlot));
        }

        if (req.SaveBaseline is not null)
        {
            Save(host, req, inputs, compared);
        }

        return !req.CiMode ? GateOutcome.Pass
            : result.HasRegression ? GateOutcome.Regression
            : req.FailOnInconclusive && result.HasInconclusive ? GateOutcome.Inconclusive
            : GateOutcome.Pass;
    }

    /// <summary>Names the file and what it was for when it cannot be written (a missing folder, no permission).</summary>
    private static void Writing(string path, string what, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{path}: cannot write {what}: {e.Message}", e);
        }
    }

    private static (CompareResult, SelectedCommit) LlamaBench(IReadOnlyList<string> paths, CompareRequest req, CompareSettings settings, ICommitGraph? git, PhaseLog log)
    {
        var inputs = paths.Select(CompareInputs.OpenLlamaBench).ToList();
        var notes = new List<string>();
        ComparisonSide baseline, current;
        SelectedCommit b, c;
        if (req.BaselineDb is not null)
        {
            (baseline, b) = FromBaselineDb(req, git);
            // -b names the baseline build inside --baseline-db; -c (default: the newest build) the compared one in the inputs.
            c = req.Compare is null ? Newest(inputs) : CommitSelector.Select(Commits(inputs), req.Compare, req.Compare, git).Compare;
            current = Side(inputs, c);
        }
        else if (inputs.Count == 2 && req.Baseline is null && req.Compare is null && inputs.All(i => i.Commits().Count == 1))
        {
            // Two files of one build each (an A/B on one machine, maybe with the same build_commit): file against file.
            var (ib, ic) = (inputs[0].Commits()[0].Commit, inputs[1].Commits()[0].Commit);
            b = new SelectedCommit(ib == ic ? Path.GetFileName(paths[0]) : ib, [ib]);
            c = new SelectedCommit(ib == ic ? Path.GetFileName(paths[1]) : ic, [ic]);
            baseline = new ComparisonSide(b.Name, inputs[0].Runs(ib));
            current = new ComparisonSide(c.Name, inputs[1].Runs(ic));
            notes.Add($"two inputs of one build each: {paths[0]} is the baseline, {paths[1]} the compared build");
        }
        else
        {
            // Both builds named exactly as stored: no need to list every build of a large database.
            var pair = req.Baseline is not null && req.Compare is not null && inputs.Any(i => i.Holds(req.Baseline)) && inputs.Any(i => i.Holds(req.Compare))
                ? new CommitPair(new SelectedCommit(req.Baseline, [req.Baseline]), new SelectedCommit(req.Compare, [req.Compare]), [])
                : CommitSelector.Select(Commits(inputs), req.Baseline, req.Compare, git);
            (b, c) = (pair.Baseline, pair.Compare);
            notes.AddRange(pair.Notes);
            log.Mark($"builds: baseline {string.Join("/", b.StoredCommits)}, compare {string.Join("/", c.StoredCommits)}{(pair.Notes.Count > 0 ? " (" + string.Join("; ", pair.Notes) + ")" : "")}");
            // The two sides are read and normalised at once: most of compare's time on a large database. Pairing
            // them keeps one core busy, so the other compiles the comparison's code meanwhile. The native build has
            // nothing to compile.
            if (RuntimeFeature.IsDynamicCodeCompiled)
            {
                CompareWarmup.Start();
            }

            var (bb, cc) = (b, c);
            var reading = Task.Run(() => Side(inputs, cc, bb));
            baseline = Side(inputs, b, c);
            current = reading.GetAwaiter().GetResult();
            log.Mark($"read baseline ({baseline.Runs.Count} runs, {baseline.Runs.Sum(r => r.Records.Count)} rows) and compare ({current.Runs.Count} runs, {current.Runs.Sum(r => r.Records.Count)} rows)");
        }

        if (baseline.Runs.Select(r => r.RunId).ToHashSet().SetEquals(current.Runs.Select(r => r.RunId)))
        {
            notes.Add("both sides are the same runs: every change is zero by construction, and the intervals show only how noisy those runs are");
        }

        var result = LlamaBenchComparer.Compare(baseline, current, b.Name, c.Name, settings);
        return (result with { Notes = [.. notes, .. result.Notes] }, c);
    }

    private static (ComparisonSide, SelectedCommit) FromBaselineDb(CompareRequest req, ICommitGraph? git)
    {
        var db = CompareInputs.OpenLlamaBench(req.BaselineDb!);
        if (req.BaselineName is not null)
        {
            var saved = SavedBaselines.Find(req.BaselineDb!, req.BaselineName);
            // A baseline that names its runs is found by them: its commit may be a label (--commit) that no build_commit carries.
            var commits = db.Commits().Where(s => saved.RunIds.Count > 0 || saved.CommitSha is null || saved.CommitSha.StartsWith(s.Commit, StringComparison.OrdinalIgnoreCase) || s.Commit.StartsWith(saved.CommitSha, StringComparison.OrdinalIgnoreCase)).Select(s => s.Commit).ToList();
            var runs = commits.SelectMany(commit => db.Runs(commit)).Where(r => saved.RunIds.Count == 0 || saved.RunIds.Contains(r.RunId)).ToList();
            return runs.Count == 0
                ? throw new InputException($"baseline '{saved.Name}' has no runs in {req.BaselineDb}")
                : (new ComparisonSide(saved.Name, runs), new SelectedCommit(saved.Name, commits));
        }

        var stored = db.Commits();
        var chosen = req.Baseline is not null ? CommitSelector.Select(stored, req.Baseline, req.Baseline, git).Baseline : Newest([db]);
        return (Side([db], chosen), chosen);
    }

    private static SelectedCommit Newest(IReadOnlyList<ICompareInput> inputs)
    {
        var newest = Commits(inputs).OrderByDescending(s => s.NewestTestTime, StringComparer.Ordinal).First();
        return new SelectedCommit(newest.Commit, [newest.Commit]);
    }

    private static ComparisonSide Side(IReadOnlyList<ICompareInput> inputs, SelectedCommit commit, SelectedCommit? other = null) =>
        new(commit.Name, [.. inputs.SelectMany(i => commit.StoredCommits.Where(i.Holds).SelectMany(s => i.Runs(s, Within(i, other))))]);

    /// <summary>The other side's builds this input holds, so that it reads only rows that can pair; null when it holds none.</summary>
    private static List<string>? Within(ICompareInput input, SelectedCommit? other) =>
        other is null ? null : other.StoredCommits.Where(input.Holds).ToList() is { Count: > 0 } held ? held : null;

    private static List<StoredCommit> Commits(IReadOnlyList<ICompareInput> inputs) =>
    [
        .. inputs.SelectMany(i => i.Commits()).GroupBy(s => s.Commit).Select(g => new StoredCommit(g.Key, g.Max(s => s.NewestTestTime)!, g.Max(s => s.BuildNumber), g.Sum(s => s.Rows))),
    ];

    private static CompareResult BackendOps(IReadOnlyList<string> paths, CompareRequest req, CompareSettings settings, ICommitGraph? git)
    {
        var files = paths.Select(p => (Path: p, Rows: CompareInputs.ReadBackendOps(p))).ToList();
        if (files.Count == 2 && req.Baseline is null && req.Compare is null && files.All(f => f.Rows.Select(r => r.BuildCommit).Distinct().Count() == 1))
        {
            var result = BackendOpsComparer.Compare(files[0].Rows, files[1].Rows, Path.GetFileName(files[0].Path), Path.GetFileName(files[1].Path), settings);
            return result with { Notes = [$"two inputs of one build each: {files[0].Path} is the baseline, {files[1].Path} the compared build", .. result.Notes] };
        }

        var all = files.SelectMany(f => f.Rows).ToList();
        var stored = all.GroupBy(r => r.BuildCommit).Select(g => new StoredCommit(g.Key, g.Max(r => r.TestTime)!, null, g.Count())).ToList();
        var pair = CommitSelector.Select(stored, req.Baseline, req.Compare, git);
        var compared = BackendOpsComparer.Compare([.. all.Where(r => pair.Baseline.StoredCommits.Contains(r.BuildCommit))],
            [.. all.Where(r => pair.Compare.StoredCommits.Contains(r.BuildCommit))], pair.Baseline.Name, pair.Compare.Name, settings);
        return compared with { Notes = [.. pair.Notes, .. compared.Notes] };
    }

    private static void Save(WorkflowHost host, CompareRequest req, IReadOnlyList<string> inputs, SelectedCommit? compared)
    {
        if (compared is null)
        {
            throw new InputException("--save-baseline saves llama-bench runs; test-backend-ops results are not stored");
        }

        var target = req.BaselineDb ?? inputs.FirstOrDefault(p => StoreLocation.Of(p).IsDatabase)
            ?? throw new InputException("--save-baseline needs a database to save into: give --baseline-db");
        var source = inputs.Count == 1 ? StoreLocation.Of(inputs[0]) : null;
        var from = source is { IsPostgres: false } && !source.SameAs(StoreLocation.Of(target)) ? inputs[0] : null;
        using var store = ResultStores.Open(target, create: true);
        var saved = new BaselineStore(store).Save(req.SaveBaseline!, compared.StoredCommits[0], from, null, null, $"saved by compare ({compared.Name})");
        host.Error.WriteLine($"saved baseline '{saved.Name}' in {ResultStores.Describe(target)}: commit {saved.CommitSha}, {Words.Count(saved.RunIds.Count, "run")}");
    }
}
