namespace BenchGate.Detection;

/// <summary>
/// The estimated change of one metric of one benchmark: current / baseline as a percentage, with its
/// confidence interval, p-value, the noise it was judged against and the smallest change it could detect.
/// </summary>
/// <param name="BaselineValue">Geometric mean of the baseline runs' values.</param>
/// <param name="CurrentValue">Geometric mean of the current runs' values.</param>
/// <param name="ChangePercent">Current / baseline − 1, in percent.</param>
/// <param name="CiLowPercent">Lower bound of the (1 − 2α) interval of the change.</param>
/// <param name="CiHighPercent">Upper bound of that interval.</param>
/// <param name="PValue">Two-sided p-value of "no change".</param>
/// <param name="MinimumDetectablePercent">The change these runs would find with 80% power.</param>
/// <param name="Noise">The run-to-run noise the change was judged against.</param>
/// <param name="BaselineRuns">Runs (or pairs) on the baseline side.</param>
/// <param name="CurrentRuns">Runs (or pairs) on the current side.</param>
/// <param name="FromSamples">The runs' spread came from their repetitions' samples (json, jsonl), not from llama-bench's stddev.</param>
/// <param name="HistoryRuns">Earlier runs of this benchmark in performance_history.</param>
/// <param name="HistoryPoints">Earlier commits among them (one point each).</param>
public sealed record ChangeEstimate(
    double BaselineValue,
    double CurrentValue,
    double ChangePercent,
    double CiLowPercent,
    double CiHighPercent,
    double PValue,
    double MinimumDetectablePercent,
    NoiseEstimate Noise,
    int BaselineRuns,
    int CurrentRuns,
    bool FromSamples,
    int HistoryRuns = 0,
    int HistoryPoints = 0)
{
    /// <summary>Earlier commits told the detector how this benchmark usually moves.</summary>
    public bool HasHistory => HistoryPoints >= HistoryNoise.MinimumPoints;

    /// <summary>
    /// The noise was measured in a way that sees the machine's drift between runs: a history, interleaved pairs (where the
    /// drift cancels), or an exact metric. Otherwise (a cold start) a change must be established beyond the threshold.
    /// </summary>
    public bool NoiseSeesDrift => HasHistory || Noise.Source is NoiseSource.Pairs or NoiseSource.None;
}
