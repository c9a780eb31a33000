using BenchGate.Detection;
using BenchGate.Storage;

namespace BenchGate.Workflows.Detect;

/// <summary>detect's two sides, read at once from wherever --baseline and --current point.</summary>
internal static class DetectSides
{
    /// <summary>
    /// The baseline (a commit, a saved baseline or the newest) and the current side, paired by order with --paired. The
    /// current side is read through <paramref name="currentStore"/> when detect holds it open for the history.
    /// </summary>
    public static (ComparisonSide Baseline, ComparisonSide Current, SavedBaseline? Saved) Read(WorkflowHost host, DetectRequest req, IResultStore? currentStore)
    {
        // The two sides are separate files: read them at once (half of detect's time on large databases). The current
        // side is read through the store held open for the history, which is not used until both sides are in.
        var currentTask = Task.Run(() => StoredSides.Load(req.Current, req.CurrentCommit, currentStore));
        SavedBaseline? saved;
        ComparisonSide baselineSide;
        try
        {
            (baselineSide, saved) = Baseline(req);
        }
        catch
        {
            // The store is disposed as this error unwinds: not while the current side is still read through it.
            try
            {
                currentTask.Wait();
            }
            catch (AggregateException)
            {
                // The baseline's error is the one to report.
            }

            throw;
        }

        var currentSide = currentTask.GetAwaiter().GetResult();
        var notes = new List<string?>();
        if (saved is null && req.BaselineCommit is null)
        {
            (baselineSide, var note) = SideSelection.NewestCommit(baselineSide, "--baseline", "--baseline-commit");
            notes.Add(note);
        }

        if (req.CurrentCommit is null)
        {
            (currentSide, var note) = SideSelection.NewestCommit(currentSide, "--current", "--current-commit");
            notes.Add(note);
        }

        if (req.Paired)
        {
            try
            {
                (baselineSide, currentSide) = ComparisonSide.PairByOrder(baselineSide, currentSide);
            }
            catch (ArgumentException e)
            {
                throw new InputException($"--paired: {e.Message.Split(" (Parameter", 2)[0]}");
            }
        }

        foreach (var note in notes.OfType<string>())
        {
            host.Out.WriteLine($"note: {note}");
        }

        return (baselineSide, currentSide, saved);
    }

    private static (ComparisonSide Side, SavedBaseline? Saved) Baseline(DetectRequest req)
    {
        var saved = req.BaselineName is null ? null : SavedBaselines.Find(req.Baseline, req.BaselineName);
        var side = StoredSides.Load(req.Baseline, saved is { RunIds.Count: 0 } ? saved.CommitSha : req.BaselineCommit);
        if (saved is null)
        {
            return (side, null);
        }

        side = saved.RunIds.Count > 0
            ? side with { Label = $"baseline '{saved.Name}'", Runs = [.. side.Runs.Where(r => saved.RunIds.Contains(r.RunId))] }
            : side with { Label = $"baseline '{saved.Name}' ({saved.CommitSha})" };
        return side.Runs.Count == 0
            ? throw new InputException($"baseline '{saved.Name}' names runs that are not in the database", input: req.Baseline)
            : (side, saved);
    }
}
