using System.Globalization;

namespace BenchGate.Detection;

/// <summary>
/// How an error names the commits an input holds when the one asked for is not among them: all of them when they are
/// few, else how many and the newest (a shared history of 10,000 commits had made a 90,000-character line).
/// </summary>
public static class HeldCommits
{
    private const int Shown = 10;

    /// <summary>The error for a commit that is not in the input.</summary>
    /// <param name="commit">The commit asked for.</param>
    /// <param name="held">Each commit the input holds once, oldest first.</param>
    public static string NoRunsOf(string commit, IReadOnlyList<string> held) => $"no runs of commit '{commit}' ({Describe(held)})";

    /// <param name="commits">Each commit once, oldest first.</param>
    public static string Describe(IReadOnlyList<string> commits) => commits.Count switch
    {
        0 => "it holds nothing",
        <= Shown => $"it holds: {string.Join(", ", commits)}",
        _ => string.Create(CultureInfo.InvariantCulture, $"it holds {commits.Count:N0} commits; the newest: {string.Join(", ", commits.TakeLast(Shown).Reverse())}, …"),
    };
}
