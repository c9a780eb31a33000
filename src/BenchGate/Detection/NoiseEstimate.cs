namespace BenchGate.Detection;

/// <summary>Where the run-to-run noise of a comparison came from.</summary>
public enum NoiseSource
{
    /// <summary>The spread of the compared runs themselves (several runs on a side).</summary>
    Runs,

    /// <summary>The spread of earlier runs of the same benchmark (performance_history).</summary>
    History,

    /// <summary>One run per side and no history: the spread of the repetitions, not divided by √n, since repetitions share a process and a machine state.</summary>
    WithinRun,

    /// <summary>Interleaved pairs of runs (baseline, current, baseline, …): the spread of the within-pair differences.</summary>
    Pairs,

    /// <summary>Nothing varies (model_size): a change is exact.</summary>
    None,
}

/// <summary>Standard deviation of one run's value on the log scale (≈ relative), with its degrees of freedom; for pairs, the within-pair differences' spread / √2.</summary>
public sealed record NoiseEstimate(double LogSd, double DegreesOfFreedom, NoiseSource Source);
