namespace BenchGate.Detection;

/// <summary>
/// The estimated change of one metric of one benchmark: current / baseline as a percentage, with its
/// confidence interval, p-value, the noise it was judged against and the smallest change it could detect.
/// </summary>
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
    int HistoryRuns = 0)
{
    /// <summary>Earlier runs told the detector how this benchmark usually moves.</summary>
    public bool HasHistory => HistoryRuns >= 3;
}
