using BenchGate.Bisect;
using BenchGate.Processes;

namespace BenchGate.Git;

/// <summary>
/// What bisect needs of git: the first-parent range between two commits with their subjects, and a worktree per
/// commit (builds of different commits never share a directory, so each build stays cached beside its sources).
/// </summary>
public sealed class GitWorktrees(string repository)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>The full hash of a revision, or an input error naming the option it came from.</summary>
    public string Resolve(string revision, string option) =>
        !revision.StartsWith('-') && Git("rev-parse", "--verify", "--quiet", revision + "^{commit}") is { Succeeded: true } r
            ? r.Stdout.Trim()
            : throw new InputException($"{option} {revision}: no such commit in {repository}");

    /// <summary>The good commit, then every first-parent commit after it up to the bad one, oldest first.</summary>
    public IReadOnlyList<BisectCommit> FirstParentRange(string good, string bad)
    {
        RequireAncestor(good, bad);
        var log = Git("log", "--first-parent", "--reverse", "--format=%H%x09%s", $"{good}..{bad}");
        var commits = log.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('\t', 2)).Select(p => new BisectCommit(p[0], p.Length > 1 ? p[1] : "")).ToList();
        var parent = commits.Count == 0 ? null : Git("rev-parse", commits[0].Sha + "^1").Stdout.Trim();
        if (parent != good)
        {
            throw new InputException($"--good {good[..9]} is not on the first-parent line of --bad {bad[..9]} (it came in through a merge): give the merge's first parent as --good");
        }

        return [new BisectCommit(good, Git("log", "-1", "--format=%s", good).Stdout.Trim()), .. commits];
    }

    /// <summary>An input error unless <paramref name="good"/> is an ancestor of <paramref name="bad"/> (and not the same commit).</summary>
    public void RequireAncestor(string good, string bad)
    {
        if (good == bad || Git("merge-base", "--is-ancestor", good, bad) is not { Succeeded: true })
        {
            throw new InputException($"--good {good[..9]} is not an ancestor of --bad {bad[..9]}: give the older commit as --good");
        }
    }

    /// <summary>Where git keeps what all worktrees share (.git of the main worktree): bisect's builds live under it by default.</summary>
    public string CommonDirectory() =>
        Path.GetFullPath(Git("rev-parse", "--git-common-dir").Stdout.Trim(), Path.GetFullPath(repository));

    /// <summary>A clean detached worktree of <paramref name="sha"/> at <paramref name="path"/>, or why there is none.</summary>
    public string? Checkout(string sha, string path)
    {
        if (Directory.Exists(path))
        {
            Git("worktree", "remove", "--force", path);
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }

        Git("worktree", "prune");
        var r = Git("worktree", "add", "--detach", "--force", path, sha);
        return r.Succeeded ? null : $"git worktree add failed: {r.Stderr.Trim()}";
    }

    private ProcessResult Git(params string[] args)
    {
        var r = ExternalProcess.Run("git", args, Timeout, repository);
        return r.NotFound ? throw new ExternalToolException("git is not installed (bisect needs it)", "git") : r;
    }
}
