namespace BenchGate.Bisect;

/// <summary>
/// What the rounds of one probed commit say. On the log scale: <paramref name="FromGood"/> is the mean of
/// log(probe / good) with its standard error, <paramref name="EndsChange"/> the mean of log(bad / good) in the same
/// rounds; <paramref name="Position"/> is their ratio (0: the good end's speed, 1: the bad end's).
/// </summary>
/// <param name="Position">log(probe / good) over log(bad / good): 0 at the good end's speed, 1 at the bad end's.</param>
/// <param name="FromGood">Mean log(probe / good) over the rounds.</param>
/// <param name="FromGoodSe">Its standard error.</param>
/// <param name="DegreesOfFreedom">Rounds − 1 (infinite for the good end itself).</param>
/// <param name="EndsChange">Mean log(bad / good) in the same rounds.</param>
/// <param name="State">Good or Bad (Skipped when the commit could not be measured).</param>
/// <param name="Confident">The decision's one-sided p-value is within the asked confidence.</param>
/// <param name="PValue">Probability of a difference this clearly on the decided side of the midpoint if the probe sat on the midpoint
/// (the bisection adjusts it for its repeated looks).</param>
/// <param name="Rounds">Rounds run (0 when skipped).</param>
/// <param name="Detail">Why it was skipped, or null.</param>
public sealed record ProbeVerdict(
    ProbeState State, bool Confident, double PValue, int Rounds, double Position, double FromGood, double FromGoodSe, double DegreesOfFreedom,
    double EndsChange, string? Detail = null)
{
    /// <summary>A commit that could not be measured: skipped as <c>git bisect skip</c> skips it.</summary>
    public static ProbeVerdict Skipped(string detail) => new(ProbeState.Skipped, Confident: true, 1, 0, double.NaN, double.NaN, double.NaN, 0, double.NaN, detail);

    /// <summary>The good end itself: zero change, measured exactly.</summary>
    public static ProbeVerdict GoodEnd { get; } = new(ProbeState.Good, Confident: true, 0, 0, 0, 0, 0, double.PositiveInfinity, double.NaN);
}
