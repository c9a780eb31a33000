using BenchGate.Model;

namespace BenchGate.Detection;

/// <summary>
/// Why two sets of benchmarks have nothing in common: the key fields (other than the test itself) whose values never
/// meet, such as a default llama-bench changed between versions (load_mode mmap → auto).
/// </summary>
public static class KeyDifferences
{
    private static readonly HashSet<string> TestFields = ["n_prompt", "n_gen", "n_depth"];

    /// <summary>"load_mode: mmap (baseline) vs auto (current)", or an empty list when every field has a value on both sides.</summary>
    public static IReadOnlyList<string> Explain(IReadOnlyCollection<BenchmarkKey> baseline, IReadOnlyCollection<BenchmarkKey> current)
    {
        var result = new List<string>();
        if (baseline.Count == 0 || current.Count == 0)
        {
            return result;
        }

        foreach (var field in LlamaBenchSchema.KeyFields.Select(f => f.Name).Where(n => !TestFields.Contains(n)))
        {
            var b = baseline.Select(k => k[field]).Distinct().Order(StringComparer.Ordinal).ToList();
            var c = current.Select(k => k[field]).Distinct().Order(StringComparer.Ordinal).ToList();
            if (!b.Intersect(c).Any())
            {
                result.Add($"{field}: {string.Join(", ", b)} (baseline) vs {string.Join(", ", c)} (current)");
            }
        }

        if (result.Count == 0)
        {
            var tb = baseline.Select(Test).Distinct().Order(StringComparer.Ordinal);
            var tc = current.Select(Test).Distinct().Order(StringComparer.Ordinal);
            result.Add($"no test in common: {string.Join(", ", tb)} (baseline) vs {string.Join(", ", tc)} (current), or no combination of the other fields in common");
        }

        return result;
    }

    private static string Test(BenchmarkKey k) => $"p:{k["n_prompt"]} g:{k["n_gen"]} d:{k["n_depth"]}";
}

/// <summary>Which runs of a side detect compares when the side holds several commits.</summary>
public static class SideSelection
{
    /// <summary>
    /// The runs of the side's newest commit (the commit of its last run) when it holds several and none was asked for,
    /// with a note that says so: pooling the runs of different commits into one side would compare nothing real.
    /// </summary>
    public static (ComparisonSide Side, string? Note) NewestCommit(ComparisonSide side, string role, string option)
    {
        var commits = side.Runs.Select(r => r.Commit).Distinct().ToList();
        if (commits.Count <= 1)
        {
            return (side, null);
        }

        var newest = side.Runs[^1].Commit;
        var runs = side.Runs.Where(r => r.Commit == newest).ToList();
        var label = newest ?? "(no commit)";
        var others = commits.Where(c => c != newest).Select(c => c ?? "(no commit)");
        return (side with { Label = $"{label} ({side.Label})", Runs = runs },
            $"{role} {side.Label} holds {commits.Count} commits; comparing its newest, {label} ({runs.Count} runs), not {string.Join(", ", others)} (give {option} to choose)");
    }
}
