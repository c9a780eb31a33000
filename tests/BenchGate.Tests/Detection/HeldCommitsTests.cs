using BenchGate.Detection;

namespace BenchGate.Tests.Detection;

public sealed class HeldCommitsTests
{
    [Fact]
    public void A_few_commits_are_all_named_in_storage_order() =>
        Assert.Equal("it holds: a1, b2, c3", HeldCommits.Describe(["a1", "b2", "c3"]));

    [Fact]
    public void A_long_history_is_counted_and_only_its_newest_named()
    {
        var commits = Enumerable.Range(1, 12_345).Select(i => $"c{i:D5}").ToList();
        Assert.Equal("it holds 12,345 commits; the newest: c12345, c12344, c12343, c12342, c12341, c12340, c12339, c12338, c12337, c12336, …",
            HeldCommits.Describe(commits));
    }

    [Fact]
    public void An_empty_input_says_so() => Assert.Equal("it holds nothing", HeldCommits.Describe([]));
}
