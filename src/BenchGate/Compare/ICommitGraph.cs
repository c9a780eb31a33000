namespace BenchGate.Compare;

/// <summary>What compare needs from a git repository (implemented by the git adapter).</summary>
public interface ICommitGraph
{
    /// <summary>A branch (local, then remote), tag or hash prefix, resolved to its full commit hash; null when unknown.</summary>
    string? Resolve(string revision);

    /// <summary>The branch or tag whose tip is this commit, for column headers (<c>t/s master</c>); null when none.</summary>
    string? NameOf(string sha);

    /// <summary>The commit and all its ancestors, newest first.</summary>
    IReadOnlyList<string> Ancestors(string revision);

    /// <summary>The first-parent history of a branch, oldest first (the order its commits landed): empty when unknown.</summary>
    IReadOnlyList<string> FirstParents(string revision);

    /// <summary>master or main, whichever exists (master first, as llama.cpp names it); null when neither.</summary>
    string? MainBranch();
}
