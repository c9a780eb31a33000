using BenchGate.Compare;
using BenchGate.Detection;
using BenchGate.Memory;
using BenchGate.Storage;

namespace BenchGate.Workflows.Detect;

/// <summary>What detect adds to its report beside the benchmarks: the runs' peak memory and --matrix.</summary>
internal static class DetectAdditions
{
    /// <summary>
    /// The peak memory (RSS and GPU) that run and ci stored for each side's runs, compared per llama-bench invocation;
    /// null when either side is a file or has no memory log.
    /// </summary>
    public static IReadOnlyList<MemoryRegression>? PeakMemory(WorkflowHost host, DetectRequest req, IResultStore? current, ComparisonSide baselineSide,
        ComparisonSide currentSide, DetectionSettings settings)
    {
        var baselineLocation = StoreLocation.Of(req.Baseline);
        if (current is null || !baselineLocation.IsDatabase)
        {
            return null;
        }

        try
        {
            var currentPeaks = MemoryLog.RunPeaks(current, currentSide.Runs.Select(r => r.RunId).ToHashSet(StringComparer.Ordinal), new HashSet<string>());
            if (currentPeaks.Count == 0)
            {
                return null;
            }

            // A saved baseline's runs are copies: their peaks are found under the baseline's commit.
            var ids = baselineSide.Runs.Select(r => r.RunId).ToHashSet(StringComparer.Ordinal);
            var commits = baselineSide.Runs.Select(r => r.Commit).OfType<string>().ToHashSet(StringComparer.Ordinal);
            List<RunPeak> baselinePeaks;
            if (baselineLocation.SameAs(StoreLocation.Of(req.Current)))
            {
                baselinePeaks = MemoryLog.RunPeaks(current, ids, new HashSet<string>());
            }
            else
            {
                using var baseline = baselineLocation.Open(create: false);
                baselinePeaks = MemoryLog.RunPeaks(baseline, ids, commits);
            }

            var compared = PeakMemoryComparison.Compare(baselinePeaks, currentPeaks, settings.Thresholds, settings.Alpha);
            return compared.Count > 0 ? compared : null;
        }
        catch (Exception e) when (e is StoreException or System.Data.Common.DbException)
        {
            // The speed gate stands without the memory comparison.
            host.Error.WriteLine($"warning: peak memory not compared: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// --matrix: the report's t/s comparisons as tests × models and backends, arranged as compare arranges them, each
    /// cell the report's own estimate and verdict (its false-discovery control spans every metric), for the report and
    /// ci pr's comment.
    /// </summary>
    public static CompareMatrix? Matrix(DetectRequest req, DetectionSettings settings, ComparisonSide baseline, ComparisonSide current, DetectionReport report) =>
        req.Matrix is null || report.ComparedNothing ? null
            : CompareMatrix.From(LlamaBenchComparer.Compare(baseline, current, baseline.Label, current.Label, new CompareSettings(settings), report), CompareMatrix.ParseAxis(req.Matrix));
}
