namespace BenchGate.Compare;

/// <summary>One side of a comparison: the name its column shows and the stored build_commit values it stands for.</summary>
/// <param name="Name">As the user named it, or the branch/tag at that commit (<c>t/s master</c>).</param>
/// <param name="StoredCommits">The stored values: one commit can be stored as hashes of different lengths.</param>
public sealed record SelectedCommit(string Name, IReadOnlyList<string> StoredCommits);

/// <summary>The two builds compared, and how they were chosen when the user did not say.</summary>
public sealed record CommitPair(SelectedCommit Baseline, SelectedCommit Compare, IReadOnlyList<string> Notes);

/// <summary>
/// Chooses the baseline and compared builds as compare-llama-bench.py does (-b/-c as stored labels, else through
/// git, defaults from master), and also without git, where the script gives up.
/// </summary>
public static class CommitSelector
{
    private const int MinimumPrefix = 4;

    public static CommitPair Select(IReadOnlyList<StoredCommit> stored, string? baseline, string? compare, ICommitGraph? git)
    {
        if (stored.Count == 0)
        {
            throw new InputException("the inputs hold no benchmark results");
        }

        var notes = new List<string>();
        var b = baseline is null ? null : Resolve(stored, baseline, git, "baseline");
        var c = compare is null ? null : Resolve(stored, compare, git, "compare");
        var main = git?.MainBranch();
        if (git is not null && main is not null && (b is null || c is null))
        {
            (b, c) = FromMainBranch(stored, b, c, git, main, notes);
        }
        else if (b is null || c is null)
        {
            (b, c) = ByTime(stored, b, c, notes, git is null ? "not in a git repository" : "no master or main branch");
        }

        return new CommitPair(b, c, notes);
    }

    private static SelectedCommit Resolve(IReadOnlyList<StoredCommit> stored, string revision, ICommitGraph? git, string role)
    {
        // A stored label is used as is, so relabelled builds (avx512nat) work without git, as in the script.
        if (stored.Any(s => s.Commit == revision))
        {
            return new SelectedCommit(revision, [revision]);
        }

        if (git?.Resolve(revision) is { } sha)
        {
            var matches = Matching(stored, sha);
            return matches.Count > 0
                ? new SelectedCommit(git.NameOf(sha) ?? revision, matches)
                : throw new InputException($"cannot find data for {role}={revision} (commit {sha[..Math.Min(12, sha.Length)]}); the inputs hold: {Describe(stored)}");
        }

        var prefixed = stored.Where(s => SamePrefix(s.Commit, revision)).Select(s => s.Commit).ToList();
        if (prefixed.Count > 1 && !prefixed.All(p => prefixed.All(q => SamePrefix(p, q))))
        {
            throw new InputException($"{role}={revision} is ambiguous: it matches {string.Join(", ", prefixed)}");
        }

        return prefixed.Count > 0
            ? new SelectedCommit(revision, prefixed)
            : throw new InputException($"cannot find data for {role}={revision}; the inputs hold: {Describe(stored)}");
    }

    private static (SelectedCommit, SelectedCommit) FromMainBranch(IReadOnlyList<StoredCommit> stored, SelectedCommit? b, SelectedCommit? c, ICommitGraph git, string main, List<string> notes)
    {
        var ancestors = git.Ancestors(main);
        var onMain = new List<(string Sha, List<string> Stored)>();
        foreach (var sha in ancestors)
        {
            if (Matching(stored, sha) is { Count: > 0 } m)
            {
                onMain.Add((sha, m));
            }
        }

        var mainStored = onMain.SelectMany(m => m.Stored).ToHashSet(StringComparer.Ordinal);
        if (c is null)
        {
            var other = stored.Where(s => !mainStored.Contains(s.Commit) && (b is null || !b.StoredCommits.Contains(s.Commit)))
                .OrderByDescending(s => s.NewestTestTime, StringComparer.Ordinal).FirstOrDefault();
            if (other is not null)
            {
                c = new SelectedCommit(other.Commit, [other.Commit]);
            }
            else
            {
                // All data is on the main branch: compare its newest benchmarked commit with the one before.
                var newest = onMain.FirstOrDefault(m => b is null || !m.Stored.Intersect(b.StoredCommits).Any());
                if (newest.Sha is null)
                {
                    throw new InputException($"no compare target was given and no other commit than the baseline has data; the inputs hold: {Describe(stored)}");
                }

                c = new SelectedCommit(git.NameOf(newest.Sha) ?? newest.Stored[0], newest.Stored);
                notes.Add($"every build with data is on {main}: comparing its newest benchmarked commit with the one before it");
            }
        }

        if (b is null)
        {
            var compared = c.StoredCommits;
            var previous = onMain.FirstOrDefault(m => !m.Stored.Intersect(compared).Any());
            if (previous.Sha is null)
            {
                throw new InputException($"no baseline was given and no commit of {main} other than the compared one has data; the inputs hold: {Describe(stored)}");
            }

            b = new SelectedCommit(git.NameOf(previous.Sha) ?? previous.Stored[0], previous.Stored);
            notes.Add($"baseline: the newest commit of {main} with data ({previous.Sha[..Math.Min(9, previous.Sha.Length)]})");
        }

        return (b, c);
    }

    private static (SelectedCommit, SelectedCommit) ByTime(IReadOnlyList<StoredCommit> stored, SelectedCommit? b, SelectedCommit? c, List<string> notes, string why)
    {
        var byTime = stored.OrderBy(s => s.NewestTestTime, StringComparer.Ordinal).ThenBy(s => s.BuildNumber ?? 0).ToList();
        if (b is null && c is null)
        {
            if (byTime.Count != 2)
            {
                throw new InputException(byTime.Count == 1
                    ? $"the inputs hold one build ({byTime[0].Commit}); give a second input or -b/-c"
                    : $"{why}, so the baseline cannot be inferred from {byTime.Count} builds: give -b and -c; the inputs hold: {Describe(stored)}");
            }

            notes.Add($"{why}: the older of the two builds (by test_time) is the baseline");
            return (Single(byTime[0]), Single(byTime[1]));
        }

        if (c is null)
        {
            var other = byTime.LastOrDefault(s => !b!.StoredCommits.Contains(s.Commit))
                ?? throw new InputException($"no compare target was given and no other build than {b!.Name} has data");
            notes.Add($"{why}: comparing with the most recently benchmarked other build");
            return (b!, Single(other));
        }

        var newestCompared = byTime.Where(s => c.StoredCommits.Contains(s.Commit)).Max(s => s.NewestTestTime)!;
        var candidates = byTime.Where(s => !c.StoredCommits.Contains(s.Commit)).ToList();
        var before = candidates.LastOrDefault(s => string.CompareOrdinal(s.NewestTestTime, newestCompared) <= 0) ?? candidates.LastOrDefault()
            ?? throw new InputException($"no baseline was given and no other build than {c.Name} has data");
        notes.Add($"{why}: the baseline is the build benchmarked last before {c.Name}");
        return (Single(before), c);
    }

    private static SelectedCommit Single(StoredCommit s) => new(s.Commit, [s.Commit]);

    private static List<string> Matching(IReadOnlyList<StoredCommit> stored, string sha) =>
        [.. stored.Where(s => s.Commit.Length >= MinimumPrefix && sha.StartsWith(s.Commit, StringComparison.OrdinalIgnoreCase)).Select(s => s.Commit)];

    private static bool SamePrefix(string a, string b) =>
        a.Length >= MinimumPrefix && b.Length >= MinimumPrefix
        && (a.StartsWith(b, StringComparison.OrdinalIgnoreCase) || b.StartsWith(a, StringComparison.OrdinalIgnoreCase));

    private static string Describe(IReadOnlyList<StoredCommit> stored) =>
        string.Join(", ", stored.OrderByDescending(s => s.NewestTestTime, StringComparer.Ordinal).Take(10).Select(s => $"{s.Commit} ({s.Rows} rows, {s.NewestTestTime})"))
        + (stored.Count > 10 ? $" and {stored.Count - 10} more" : "");
}
