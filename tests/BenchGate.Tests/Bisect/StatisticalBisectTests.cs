using BenchGate.Bisect;
using BenchGate.Reports;
using BenchGate.Tests.Shared;

namespace BenchGate.Tests.Bisect;

public sealed class StatisticalBisectTests
{
    private static readonly BisectSettings Settings = new(MaxRounds: 12);

    [Fact]
    public void Finds_the_culprit_for_every_seed_past_a_broken_and_a_noisy_commit()
    {
        // 2% run noise, an 8% step, a commit six times noisier and one that does not build in the range.
        for (var seed = 1; seed <= 60; seed++)
        {
            var culprit = 1 + (seed * 7 % 30);
            var lab = new SimulatedLab(seed, culprit, step: 0.08, noise: 0.02).WithCommits(32);
            // Not right before the culprit: that would leave two candidates (tested below).
            lab.Broken.Add(culprit < 16 ? 24 : 8);
            lab.NoiseAt[culprit < 16 ? 20 : 4] = 0.12;

            var result = new StatisticalBisect(lab, Settings).Run(lab.Commits);

            Assert.True(result.Outcome == BisectOutcome.Found, $"seed {seed}: {BisectText.Line(result)}");
            Assert.Equal(lab.Commits[culprit].Sha, result.FirstBad!.Sha);
            Assert.Equal(lab.Runs, result.Runs);
        }
    }

    [Fact]
    public void The_noisy_commit_costs_more_rounds_not_a_wrong_answer()
    {
        var lab = new SimulatedLab(3, culprit: 24, step: 0.08, noise: 0.01).WithCommits(33);
        lab.NoiseAt[16] = 0.05;

        var result = new StatisticalBisect(lab, new BisectSettings(MaxRounds: 40)).Run(lab.Commits);

        var noisy = result.Probes.Single(p => p.Index == 16).Verdict;
        Assert.True(noisy.Confident);
        var quiet = result.Probes.Where(p => p.Index != 16).Max(p => p.Verdict.Rounds);
        Assert.Equal(ProbeState.Good, noisy.State);
        Assert.True(noisy.Rounds > quiet, $"noisy {noisy.Rounds} rounds, the others at most {quiet}");
        Assert.Equal(lab.Commits[24].Sha, result.FirstBad!.Sha);
    }

    [Fact]
    public void An_improvement_is_bisected_too_and_named_so()
    {
        var lab = new SimulatedLab(9, culprit: 13, step: -0.15, noise: 0.01).WithCommits(20);

        var result = new StatisticalBisect(lab, Settings).Run(lab.Commits);

        Assert.Equal(lab.Commits[13].Sha, result.FirstBad!.Sha);
        Assert.False(result.IsRegression);
        Assert.True(result.CulpritChange!.Value.Log > 0);
        Assert.True(new BisectResult(result.Outcome, result.Benchmark, HigherIsBetter: false, result.Range, result.Ends, false, [], [], null, 1, true, 0, 0).IsRegression);
    }

    [Fact]
    public void A_broken_commit_right_before_the_culprit_leaves_both_as_candidates()
    {
        var lab = new SimulatedLab(5, culprit: 9, step: 0.2, noise: 0.01).WithCommits(17);
        lab.Broken.Add(8);

        var result = new StatisticalBisect(lab, Settings).Run(lab.Commits);

        Assert.Equal(BisectOutcome.Ambiguous, result.Outcome);
        Assert.Equal([8, 9], result.Candidates);
        Assert.Null(result.FirstBad);
        Assert.Contains("is one of", BisectText.Line(result), StringComparison.Ordinal);
    }

    [Fact]
    public void Ends_that_do_not_differ_give_no_change_and_probe_nothing()
    {
        var lab = new SimulatedLab(7, culprit: 5, step: 0, noise: 0.03).WithCommits(9);

        var result = new StatisticalBisect(lab, new BisectSettings(MaxRounds: 5)).Run(lab.Commits);

        Assert.True(result.Outcome == BisectOutcome.NoChange, BisectText.Line(result));
        Assert.Empty(result.Probes);
        Assert.Equal(10, result.Runs);
    }

    [Fact]
    public void A_second_bisection_with_the_cache_builds_and_runs_nothing()
    {
        var cache = new MemoryCache();
        var first = new SimulatedLab(11, culprit: 6, step: 0.1, noise: 0.02).WithCommits(20);
        var one = new StatisticalBisect(first, Settings, cache).Run(first.Commits);
        var second = new SimulatedLab(12, culprit: 6, step: 0.1, noise: 0.02).WithCommits(20);

        var two = new StatisticalBisect(second, Settings, cache).Run(second.Commits);

        Assert.Equal(one.FirstBad, two.FirstBad);
        Assert.Equal((0, 0), (two.Builds, two.Runs));
        Assert.Empty(second.Built);
        Assert.All(two.Probes, p => Assert.True(p.Cached));
        Assert.True(two.EndsCached);
    }

    [Fact]
    public void A_benchmark_filter_that_matches_nothing_names_what_there_is()
    {
        var lab = new SimulatedLab(1, culprit: 3, step: 0.1, noise: 0.01).WithCommits(5);

        var e = Assert.Throws<InputException>(() => new StatisticalBisect(lab, Settings with { Benchmark = "*tg128*" }).Run(lab.Commits));

        Assert.Contains("--benchmark '*tg128*' matches none of: " + SimulatedLab.Title, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_good_end_that_does_not_build_is_an_input_error()
    {
        var lab = new SimulatedLab(1, culprit: 3, step: 0.1, noise: 0.01).WithCommits(5);
        lab.Broken.Add(0);

        var e = Assert.Throws<InputException>(() => new StatisticalBisect(lab, Settings).Run(lab.Commits));

        Assert.StartsWith("the good end 0000aaaaa does not build", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_render_from_the_result()
    {
        var lab = new SimulatedLab(2, culprit: 5, step: 0.25, noise: 0.01).WithCommits(12);
        lab.Broken.Add(3);
        var result = new StatisticalBisect(lab, Settings).Run(lab.Commits);

        Golden.AssertMatches("bisect-report.md", BisectMarkdown.Render(result, "Average Tokens/Second", Settings.Confidence));
        var json = BisectJson.Render(result, "avg_ts", Settings.Confidence);
        Golden.AssertMatches("bisect-report.json", json);
        var schema = Json.Schema.JsonSchema.FromText(File.ReadAllText(Fixtures.RepoFile("docs/bisect-report.schema.json")));
        var evaluation = schema.Evaluate(System.Text.Json.JsonDocument.Parse(json).RootElement, new Json.Schema.EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List });
        Assert.True(evaluation.IsValid, string.Join("; ", evaluation.Details?.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")) ?? []));
        Assert.False(schema.Evaluate(System.Text.Json.JsonDocument.Parse(json.Replace("\"verdict\": \"bad\"", "\"verdict\": \"worse\"", StringComparison.Ordinal)).RootElement).IsValid);
    }

    private sealed class MemoryCache : IBisectCache
    {
        private readonly Dictionary<string, ProbeVerdict> _probes = [];
        private (string, ProbeVerdict)? _ends;

        public (string Benchmark, ProbeVerdict Change)? Ends() => _ends;

        public void SaveEnds(string benchmark, ProbeVerdict change) => _ends = (benchmark, change);

        public ProbeVerdict? Probe(string commit) => _probes.GetValueOrDefault(commit);

        public void SaveProbe(string commit, ProbeVerdict verdict) => _probes[commit] = verdict;
    }
}
