using System.Globalization;
using System.Text;

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
        var lines = csv.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var header = lines.FindIndex(l => l.Contains("Total Time (ns)", StringComparison.Ordinal) && l.Contains("Name", StringComparison.Ordinal));
        if (header < 0)
        {
            return [];
        }

        var columns = Fields(lines[header]);
        int total = columns.IndexOf("Total Time (ns)"), instances = columns.IndexOf("Instances"), name = columns.IndexOf("Name");
        if (total < 0 || name < 0)
        {
            return [];
        }

        var kernels = new List<GpuKernel>();
        foreach (var line in lines.Skip(header + 1).Where(l => l.Length > 0))
        {
            var f = Fields(line);
            if (f.Count != columns.Count || !long.TryParse(f[total], NumberStyles.Integer | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var ns))
            {
                break;
            }

            kernels.Add(new GpuKernel(f[name], ns, instances >= 0 && long.TryParse(f[instances], NumberStyles.Integer | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var n) ? n : 0));
        }

        return kernels;
    }

    /// <summary>Both runs' kernels paired by name, the largest changes in GPU time first, at most <paramref name="top"/>.</summary>
    public static IReadOnlyList<GpuKernelChange> Compare(IReadOnlyList<GpuKernel> baseline, IReadOnlyList<GpuKernel> current, int top)
    {
        var before = baseline.GroupBy(k => k.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (Ns: g.Sum(k => k.TotalNs), N: g.Sum(k => k.Instances)), StringComparer.Ordinal);
        var after = current.GroupBy(k => k.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (Ns: g.Sum(k => k.TotalNs), N: g.Sum(k => k.Instances)), StringComparer.Ordinal);
        return [.. before.Keys.Union(after.Keys)
            .Select(k => new GpuKernelChange(k, before.TryGetValue(k, out var b) ? b.Ns : null, after.TryGetValue(k, out var a) ? a.Ns : null,
                before.TryGetValue(k, out b) ? b.N : 0, after.TryGetValue(k, out a) ? a.N : 0))
            .OrderByDescending(c => Math.Abs(c.DeltaNs)).ThenBy(c => c.Name, StringComparer.Ordinal).Take(top)];
    }

    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
