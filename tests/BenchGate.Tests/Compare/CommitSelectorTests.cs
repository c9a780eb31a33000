using BenchGate.Compare;

namespace BenchGate.Tests.Compare;

public sealed class CommitSelectorTests
{
    private static readonly StoredCommit Old = new("876a43211", "2026-11-27T14:59:23Z", 10216, 24);
    private static readonly StoredCommit New = new("3f545becc", "2026-11-27T14:59:30Z", 10587, 24);

    [Fact]
    public void A_stored_label_is_used_as_is_and_a_prefix_matches_without_git()
    {
        var pair = CommitSelector.Select([Old, New, new("avx512nat", "2026-01-01", null, 3)], "avx512nat", "3f545b", git: null);
        Assert.Equal("avx512nat", pair.Baseline.Name);
        Assert.Equal(["3f545becc"], pair.Compare.StoredCommits);
        Assert.Equal("3f545b", pair.Compare.Name);
    }

    [Fact]
    public void Without_git_the_older_of_two_builds_is_the_baseline_and_more_builds_need_flags()
    {
        var pair = CommitSelector.Select([New, Old], null, null, git: null);
        Assert.Equal(("876a43211", "3f545becc"), (pair.Baseline.Name, pair.Compare.Name));
        Assert.Contains(pair.Notes, n => n.Contains("older", StringComparison.Ordinal));

        var third = new StoredCommit("abcdef012", "2026-11-28T00:00:00Z", 10600, 8);
        var e = Assert.Throws<InputException>(() => CommitSelector.Select([Old, New, third], null, null, git: null));
        Assert.Contains("give -b and -c", e.Message, StringComparison.Ordinal);
        // -c alone: the baseline is the build benchmarked last before it.
        Assert.Equal("876a43211", CommitSelector.Select([Old, New, third], null, "3f545becc", git: null).Baseline.Name);
        // -b alone: compared with the most recently benchmarked other build.
        Assert.Equal("abcdef012", CommitSelector.Select([Old, New, third], "876a43211", null, git: null).Compare.Name);
    }

    [Fact]
    public void Unknown_and_ambiguous_revisions_are_named_with_what_the_inputs_hold()
    {
        var unknown = Assert.Throws<InputException>(() => CommitSelector.Select([Old, New], "deadbeef", null, git: null));
        Assert.Contains("baseline=deadbeef", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("876a43211 (24 rows", unknown.Message, StringComparison.Ordinal);

        var ambiguous = Assert.Throws<InputException>(() => CommitSelector.Select([new("abcd1234", "1", null, 1), new("abcd9999", "2", null, 1)], "abcd", "abcd9999", git: null));
        Assert.Contains("ambiguous", ambiguous.Message, StringComparison.Ordinal);
        Assert.Throws<InputException>(() => CommitSelector.Select([Old], null, null, git: null));
    }
}
