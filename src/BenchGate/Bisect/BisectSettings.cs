namespace BenchGate.Bisect;

/// <summary>How a bisection decides.</summary>
/// <param name="Confidence">Each decision's one-sided confidence (0.99: a decision is wrong at most 1% of the time).</param>
/// <param name="MinRounds">Rounds before a decision (three: the noise is estimated with two degrees of freedom).</param>
/// <param name="MaxRounds">The budget per probed commit (--max-runs): after it the more likely side is taken, flagged as not confident.</param>
/// <param name="Benchmark">Wildcard on the benchmark's title (--benchmark), or null: the benchmark whose change between the ends is clearest.</param>
/// <param name="HigherIsBetter">The metric's direction (t/s: higher is better), which names the change a regression or an improvement.</param>
public sealed record BisectSettings(double Confidence = 0.99, int MinRounds = 3, int MaxRounds = 20, string? Benchmark = null, bool HigherIsBetter = true);
