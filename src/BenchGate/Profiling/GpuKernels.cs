using System.Globalization;
using BenchGate.Ingest.Readers;

namespace BenchGate.Profiling;

/// <summary>One CUDA kernel's GPU time in one run, as Nsight Systems' <c>cuda_gpu_kern_sum</c> report sums it.</summary>
public sealed record GpuKernel(string Name, long TotalNs, long Instances);

/// <summary>One kernel's GPU time in the baseline's and the new build's run (null where that run never launched it).</summary>
public sealed record GpuKernelChange(string Name, long? BaselineNs, long? NewNs, long BaselineInstances, long NewInstances)
{
    /// <summary>New minus baseline GPU time, in nanoseconds (a kernel only one run launched counts whole).</summary>
    public long DeltaNs => (NewNs ?? 0) - (BaselineNs ?? 0);
}

/// <summary>
/// Reads <c>nsys stats --report cuda_gpu_kern_sum --format csv --output -</c> and pairs two runs' kernels. nsys may
/// print progress lines before the table, so the table starts at its header; a kernel's name is quoted when it holds
/// commas (template arguments).
/// </summary>
public static class GpuKernels
{
    /// <summary>nsys's arguments for <see cref="Parse"/>, before the report file (exported again: a kept --work-dir may hold an older one).</summary>
    public static readonly IReadOnlyList<string> StatsQuery = ["stats", "--force-export=true", "--report", "cuda_gpu_kern_sum", "--format", "csv", "--output", "-"];

    /// <summary>The kernels of one run; empty when the text holds no such table (a run that launched no kernel).</summary>
    public static IReadOnlyList<GpuKernel> Parse(string csv)
    {
        var kernels = new List<GpuKernel>();
        using var reader = new StringReader(csv);
        var fields = new List<string>();
        var line = 0;
        int columns = 0, total = -1, instances = -1, name = -1;
        try
        {
            while (CsvReader.ReadRecord(reader, fields, ref line, out _))
            {
                if (fields is [""])
                {
                    continue;
                }

                if (total < 0)
                {
                    // The progress lines nsys may print come first; the table starts at its header.
                    if (fields.Contains("Total Time (ns)"))
                    {
                        (columns, total, instances, name) = (fields.Count, fields.IndexOf("Total Time (ns)"), fields.IndexOf("Instances"), fields.IndexOf("Name"));
                        if (name < 0)
                        {
                            return [];
                        }
                    }

                    continue;
                }

                if (fields.Count != columns || !long.TryParse(fields[total], NumberStyles.Integer | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var ns))
                {
                    break;
                }

                kernels.Add(new GpuKernel(fields[name], ns, instances >= 0 && long.TryParse(fields[instances], NumberStyles.Integer | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var n) ? n : 0));
            }
        }
        catch (InputException)
        {
            // A quoted name not closed before the output ends: the table ends there too.
        }

        return kernels;
    }

    /// <summary>Both runs' kernels paired by name, the largest changes in GPU time first, at most <paramref name="top"/>.</summary>
    public static IReadOnlyList<GpuKernelChange> Compare(IReadOnlyList<GpuKernel> baseline, IReadOnlyList<GpuKernel> current, int top)
    {
        static Dictionary<string, (long Ns, long N)> Totals(IReadOnlyList<GpuKernel> kernels) => kernels.GroupBy(k => k.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (g.Sum(k => k.TotalNs), g.Sum(k => k.Instances)), StringComparer.Ordinal);
        var before = Totals(baseline);
        var after = Totals(current);
        return [.. before.Keys.Union(after.Keys)
            .Select(k => new GpuKernelChange(k, before.TryGetValue(k, out var b) ? b.Ns : null, after.TryGetValue(k, out var a) ? a.Ns : null,
                before.TryGetValue(k, out b) ? b.N : 0, after.TryGetValue(k, out a) ? a.N : 0))
            .OrderByDescending(c => Math.Abs(c.DeltaNs)).ThenBy(c => c.Name, StringComparer.Ordinal).Take(top)];
    }
}
