using BenchGate.Compare;
using BenchGate.Processes;

namespace BenchGate.Git;

/// <summary>
/// The git repository a command runs in, read through the <c>git</c> program (always present where llama.cpp is
/// built), so that branch, tag and hash-prefix resolution is exactly git's.
/// </summary>
public sealed class GitCommitGraph : ICommitGraph
{
    private static readonly string[] MainBranches = ["master", "main", "origin/master", "origin/main"];
    private readonly string _directory;

    private GitCommitGraph(string directory) => _directory = directory;

    /// <summary>The repository at or above <paramref name="directory"/>, or null when there is none (or no git).</summary>
    public static GitCommitGraph? TryOpen(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return null;
        }

        var graph = new GitCommitGraph(directory);
        return graph.Run("rev-parse", "--is-inside-work-tree") is ["true"] || graph.Run("rev-parse", "--is-bare-repository") is ["true"] ? graph : null;
    }

    public string? Resolve(string revision)
    {
        if (revision.StartsWith('-'))
        {
            return null;
        }

        if (Run("rev-parse", "--verify", "--quiet", revision + "^{commit}") is [var sha])
        {
            return sha;
        }

        // A branch that exists only on a remote (origin/feature), as the script also looks there.
        return Run("for-each-ref", "--format=%(objectname)", $"refs/remotes/*/{revision}") is [var remote, ..] ? remote : null;
    }

    public string? NameOf(string sha)
    {
        var names = Run("for-each-ref", "--points-at", sha, "--format=%(refname:short)", "refs/heads", "refs/tags");
        return names is null || names.Count == 0 ? null : names.FirstOrDefault(n => n is "master" or "main") ?? names[0];
    }

    /// <summary>The checked-out branch, or null on a detached HEAD.</summary>
    public string? CurrentBranch() => Run("branch", "--show-current") is [var b] ? b : null;

    public IReadOnlyList<string> Ancestors(string revision) => Run("rev-list", revision) ?? [];

    public IReadOnlyList<string> FirstParents(string revision) => Run("rev-list", "--first-parent", "--reverse", revision) ?? [];

    public string? MainBranch() =>
        MainBranches.FirstOrDefault(b => Run("rev-parse", "--verify", "--quiet", b + "^{commit}") is [_]);

    private List<string>? Run(params string[] args)
    {
        // No git program, or one that hangs, is the same as no repository.
        var r = ExternalProcess.Run("git", args, TimeSpan.FromSeconds(30), _directory);
        return r.Succeeded ? [.. r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : null;
    }
}
