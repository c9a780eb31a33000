using BenchGate.Detection;
using BenchGate.Trend;
using Perfolizer.Mathematics.Cpd;

namespace BenchGate.Bench.Trend;

/// <summary>A change-point method as the harness asks it: the indexes (first point of a new level) of the shifts it reports past the threshold.</summary>
internal interface IChangePointMethod
{
    string Name { get; }

    IReadOnlyList<int> Find(double[] logs, double thresholdPercent);
}

/// <summary>benchgate trend: E-divisive means, t-test confirmation, weak-point merging; reported when the change passes the threshold.</summary>
internal sealed class BenchGateMethod : IChangePointMethod
{
    public string Name => "BenchGate (E-divisive + t test)";

    public IReadOnlyList<int> Find(double[] logs, double thresholdPercent)
    {
        var key = BenchGate.Bench.Detection.FixtureRuns.Load("llama-bench/formats/small_p64_n16_r3.jsonl", "k")[0].Records[0].Key;
        var series = new TrendSeries("s", key, "t", Metric.TokensPerSecond, "m", null, [.. logs.Select((v, i) => new TrendPoint($"c{i}", Math.Exp(v), Math.Exp(v), Math.Exp(v), 1))]);
        return [.. new TrendAnalyzer(Thresholds.Uniform(thresholdPercent)).Analyse(series).ChangePoints.Select(c => c.Index)];
    }
}

/// <summary>
/// Perfolizer's EdPelt (Haynes et al.'s nonparametric PELT, as BenchmarkDotNet uses it), minimum segment 3 as ours,
/// reported when the change between the neighbouring segments' means passes the threshold.
/// </summary>
internal sealed class EdPeltMethod : IChangePointMethod
{
    public string Name => "Perfolizer EdPelt";

    public IReadOnlyList<int> Find(double[] logs, double thresholdPercent)
    {
        // EdPelt returns the last index of each segment; ours is the first of the next.
        var cps = EdPeltChangePointDetector.Instance.GetChangePointIndexes(logs, 3).Select(i => i + 1).ToList();
        return Past(logs, cps, thresholdPercent);
    }

    internal static List<int> Past(double[] logs, List<int> cps, double thresholdPercent)
    {
        var bounds = new List<int> { 0 };
        bounds.AddRange(cps);
        bounds.Add(logs.Length);
        var limit = Math.Log(1 + (thresholdPercent / 100));
        return [.. cps.Where((c, i) => Math.Abs(logs[c..bounds[i + 2]].Average() - logs[bounds[i]..c].Average()) >= limit)];
    }
}

/// <summary>
/// What a history-less gate does on master (the spec's rule applied commit to commit): a point more than the threshold
/// below the mean of the previous 5 is a regression (and above, an improvement).
/// </summary>
internal sealed class RollingMeanMethod : IChangePointMethod
{
    public string Name => "naive: point vs mean of previous 5";

    public IReadOnlyList<int> Find(double[] logs, double thresholdPercent)
    {
        var limit = Math.Log(1 + (thresholdPercent / 100));
        var found = new List<int>();
        for (var i = 5; i < logs.Length; i++)
        {
            if (Math.Abs(logs[i] - logs[(i - 5)..i].Average()) >= limit)
            {
                found.Add(i);
            }
        }

        return found;
    }
}
