namespace BenchGate.Bisect;

/// <summary>
/// One round of a probe: the good end, the probed commit and the bad end run one after the other on one machine, so
/// that the machine's drift hits all three alike. Values are the benchmark's speed (or any metric) of each run.
/// </summary>
public sealed record ProbeRound(double Good, double Probe, double Bad)
{
    /// <summary>A round of the two ends only: the bad end is the probe.</summary>
    public static ProbeRound Ends(double good, double bad) => new(good, bad, bad);

    /// <summary>Every value positive and finite: the log scale, on which the judge works, exists.</summary>
    public bool IsUsable => Good > 0 && Probe > 0 && Bad > 0 && double.IsFinite(Good) && double.IsFinite(Probe) && double.IsFinite(Bad);
}

/// <summary>Where a commit of the bisected range stands.</summary>
public enum ProbeState
{
    /// <summary>Not probed yet.</summary>
    Untested,

    /// <summary>Its speed is the good end's.</summary>
    Good,

    /// <summary>Its speed is the bad end's.</summary>
    Bad,

    /// <summary>It does not build (or its benchmark did not run): like <c>git bisect skip</c>.</summary>
    Skipped,
}
