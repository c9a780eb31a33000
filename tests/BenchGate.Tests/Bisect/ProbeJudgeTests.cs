using BenchGate.Bisect;

namespace BenchGate.Tests.Bisect;

public sealed class ProbeJudgeTests
{
    [Fact]
    public void A_probe_at_the_bad_ends_speed_is_bad_and_at_the_good_ends_good()
    {
        ProbeRound[] bad = [new(1000, 801, 800), new(990, 795, 790), new(1010, 812, 805)];
        ProbeRound[] good = [new(1000, 1003, 800), new(990, 985, 790), new(1010, 1011, 805)];

        var b = ProbeJudge.Judge(bad, 0.99);
        var g = ProbeJudge.Judge(good, 0.99);

        Assert.Equal((ProbeState.Bad, true), (b.State, b.Confident));
        Assert.InRange(b.Position, 0.95, 1.05);
        Assert.Equal((ProbeState.Good, true), (g.State, g.Confident));
        Assert.InRange(g.Position, -0.05, 0.05);
        Assert.InRange(b.FromGood, Math.Log(0.79), Math.Log(0.81));
    }

    [Fact]
    public void Drift_that_moves_all_three_runs_of_a_round_does_not_move_the_verdict()
    {
        // The machine gets 30% slower from round to round; within a round the probe sits at the good end's speed.
        ProbeRound[] rounds = [new(1000, 1000, 900), new(700, 701, 630), new(1300, 1299, 1170)];

        var v = ProbeJudge.Judge(rounds, 0.99);

        Assert.Equal((ProbeState.Good, true), (v.State, v.Confident));
    }

    [Fact]
    public void A_probe_halfway_between_the_ends_is_never_confident()
    {
        ProbeRound[] rounds = [new(1000, 951, 900), new(1000, 948, 900), new(1000, 950, 900), new(1000, 952, 900)];

        Assert.False(ProbeJudge.Judge(rounds, 0.99).Confident);
    }

    [Fact]
    public void One_round_decides_nothing_and_noise_needs_more_rounds_than_quiet()
    {
        Assert.False(ProbeJudge.Judge([new(1000, 800, 800)], 0.99).Confident);
        ProbeRound[] noisy = [new(1000, 1100, 800), new(1000, 700, 800)];
        Assert.False(ProbeJudge.Judge(noisy, 0.99).Confident);
        ProbeRound[] quiet = [new(1000, 801, 800), new(1000, 799, 800)];
        Assert.True(ProbeJudge.Judge(quiet, 0.99).Confident);
    }

    [Fact]
    public void The_ends_are_confident_only_when_they_differ_past_the_noise()
    {
        Assert.True(ProbeJudge.JudgeEnds([ProbeRound.Ends(1000, 800), ProbeRound.Ends(1010, 805), ProbeRound.Ends(995, 790)], 0.99).Confident);
        Assert.False(ProbeJudge.JudgeEnds([ProbeRound.Ends(1000, 990), ProbeRound.Ends(1000, 1012), ProbeRound.Ends(995, 999)], 0.99).Confident);
    }

    [Fact]
    public void Rounds_with_a_zero_or_missing_value_are_left_out()
    {
        ProbeRound[] rounds = [new(1000, 0, 800), new(double.NaN, 800, 800), new(1000, 800, 800), new(1000, 801, 800)];

        var v = ProbeJudge.Judge(rounds, 0.99);

        Assert.Equal(2, v.Rounds);
        Assert.Equal(ProbeState.Bad, v.State);
        Assert.Equal(ProbeState.Skipped, ProbeJudge.Judge([new(0, 0, 0)], 0.99).State);
    }
}
