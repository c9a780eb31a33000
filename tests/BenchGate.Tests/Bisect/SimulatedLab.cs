using BenchGate.Bisect;

namespace BenchGate.Tests.Bisect;

/// <summary>
/// A range of commits whose speed drops by <c>step</c> at the culprit, measured with log-normal run noise and a slow
/// drift of the machine that all three runs of a round share; some commits do not build, some are noisier.
/// </summary>
internal sealed class SimulatedLab(int seed, int culprit, double step, double noise) : IBisectLab
{
    private readonly Random _random = new(seed);

    public const string Title = "tiny | backend:CPU | p:512 | g:0 | pp512";

    public HashSet<int> Broken { get; } = [];

    public Dictionary<int, double> NoiseAt { get; } = [];

    /// <summary>A second, smaller change: commits from here on are slower by this much more.</summary>
    public (int At, double Step)? Second { get; init; }

    public List<string> Built { get; } = [];

    public int Runs { get; private set; }

    public string? Build(string commit)
    {
        Built.Add(commit);
        return Broken.Contains(Index(commit)) ? "build command exited with 2: error: expected ';'" : null;
    }

    public IReadOnlyDictionary<string, ProbeRound> Round(string? probe, int round)
    {
        var drift = 1 + (0.05 * Math.Sin(Runs / 7.0));
        var good = Measure(0, drift);
        var value = probe is null ? double.NaN : Measure(Index(probe), drift);
        var bad = Measure(Commits.Count - 1, drift);
        return new Dictionary<string, ProbeRound> { [Title] = probe is null ? ProbeRound.Ends(good, bad) : new ProbeRound(good, value, bad) };
    }

    public List<BisectCommit> Commits { get; } = [];

    public SimulatedLab WithCommits(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Commits.Add(new BisectCommit($"{i:x4}".PadRight(40, 'a'), $"commit {i}"));
        }

        return this;
    }

    private int Index(string sha) => Commits.FindIndex(c => c.Sha == sha);

    private double Measure(int index, double drift)
    {
        Runs++;
        var level = 1000.0 * (index >= culprit ? 1 - step : 1) * (Second is { } s && index >= s.At ? 1 - s.Step : 1);
        var sd = NoiseAt.TryGetValue(index, out var n) ? n : noise;
        return level * drift * Math.Exp(sd * Gaussian());
    }

    private double Gaussian() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
}
