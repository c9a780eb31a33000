namespace BenchGate.Detection;

/// <summary>What the data say about one benchmark and metric.</summary>
public enum Verdict
{
    /// <summary>Worse beyond the threshold, and the change is statistically established.</summary>
    Regression,

    /// <summary>Better beyond the threshold, and the change is statistically established.</summary>
    Improvement,

    /// <summary>Any change is within the threshold.</summary>
    Stable,

    /// <summary>The data cannot tell whether the change passes the threshold (the spec's ⚠️ warning).</summary>
    Inconclusive,
}
