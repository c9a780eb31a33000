using BenchGate.Reports;
using BenchGate.Storage;

namespace BenchGate.Workflows;

/// <summary>The line that says a baseline was saved: the same from 'baseline save' and from 'ci push'.</summary>
public static class BaselineText
{
    public static string Saved(BaselineInfo b) =>
        $"saved baseline '{b.Name}': commit {b.CommitSha}, {Words.Count(b.RunIds.Count, "run")}, {Words.Count(b.Rows, "row")}; active";
}
