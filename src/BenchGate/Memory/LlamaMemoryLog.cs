using System.Globalization;
using System.Text.RegularExpressions;

namespace BenchGate.Memory;

/// <summary>One llama.cpp buffer of one context (or of the model): kind, device buffer name and size.</summary>
public sealed record LlamaBuffer(string Kind, string Device, double MiB);

/// <summary>The buffers of one llama_context (llama-bench makes one per test), with the context size it reported.</summary>
public sealed record LlamaContext(int Index, int? NCtx, IReadOnlyList<LlamaBuffer> Buffers)
{
    public double TotalMiB => Buffers.Sum(b => b.MiB);

    /// <summary>Contexts of the same configuration allocate the same KV cache and output buffers.</summary>
    public string Configuration => $"n_ctx={NCtx}; " + string.Join("; ", Buffers.Where(b => b.Kind is "kv" or "output").Select(b => $"{b.Kind}:{b.Device}={b.MiB.ToString("F2", CultureInfo.InvariantCulture)}"));
}

/// <summary>What llama.cpp's verbose log says about memory: the model buffers, every context's buffers, statuses.</summary>
public sealed record LlamaMemoryProfile(double? ModelFileMiB, string? LoadMode, IReadOnlyList<LlamaBuffer> ModelBuffers, IReadOnlyList<LlamaContext> Contexts,
    IReadOnlyList<(int Line, int Status)> Statuses, IReadOnlyList<string> Mismatches)
{
    /// <summary>Per device: model buffers plus the largest context's buffers — the most this log says was allocated at once.</summary>
    public IReadOnlyList<(string Device, double ModelMiB, double KvMiB, double ComputeMiB, double OutputMiB, double PeakMiB)> Devices()
    {
        var devices = ModelBuffers.Select(b => b.Device).Concat(Contexts.SelectMany(c => c.Buffers).Select(b => b.Device)).Distinct().Order(StringComparer.Ordinal);
        return [.. devices.Select(d =>
        {
            var model = ModelBuffers.Where(b => b.Device == d).Sum(b => b.MiB);
            double Max(string kind) => Contexts.Select(c => c.Buffers.Where(b => b.Device == d && b.Kind == kind).Sum(b => b.MiB)).DefaultIfEmpty(0).Max();
            var peakContext = Contexts.Select(c => c.Buffers.Where(b => b.Device == d).Sum(b => b.MiB)).DefaultIfEmpty(0).Max();
            return (d, model, Max("kv"), Max("compute"), Max("output"), model + peakContext);
        })];
    }
}

/// <summary>
/// Reads the memory lines of llama.cpp's verbose log (llama-bench -v, llama-cli, llama-server): model, KV cache,
/// compute and output buffer sizes per device, once per context; the compute-buffer checks at teardown; and the
/// llama-memory.h status codes where a log reports them (0 SUCCESS, 1 NO_UPDATE, 2 FAILED_PREPARE, 3 FAILED_COMPUTE).
/// </summary>
public static partial class LlamaMemoryLog
{
    public static LlamaMemoryProfile Parse(IEnumerable<string> lines)
    {
        double? file = null;
        string? loadMode = null;
        var model = new List<LlamaBuffer>();
        var contexts = new List<LlamaContext>();
        var statuses = new List<(int, int)>();
        var mismatches = new List<string>();
        List<LlamaBuffer>? buffers = null;
        int? nctx = null;
        var lineNo = 0;

        void Close()
        {
            if (buffers is not null)
            {
                contexts.Add(new LlamaContext(contexts.Count + 1, nctx, buffers));
            }

            (buffers, nctx) = (null, null);
        }

        foreach (var raw in lines)
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if (FileSize().Match(line) is { Success: true } f)
            {
                file = Mib(f.Groups["v"].Value, f.Groups["u"].Value);
            }
            else if (LoadMode().Match(line) is { Success: true } lm)
            {
                loadMode = lm.Groups["mode"].Value;
            }
            else if (Buffer().Match(line) is { Success: true } b)
            {
                var kind = b.Groups["kind"].Value switch { "model" => "model", "KV" => "kv", "compute" => "compute", _ => "output" };
                var buffer = new LlamaBuffer(kind, b.Groups["dev"].Value, double.Parse(b.Groups["v"].Value, CultureInfo.InvariantCulture));
                if (kind == "model")
                {
                    model.Add(buffer);
                }
                else
                {
                    (buffers ??= []).Add(buffer);
                }
            }
            else if (NCtx().Match(line) is { Success: true } n)
            {
                // A new context starts: the previous one (if it had buffers) is complete.
                Close();
                nctx = int.Parse(n.Groups["n"].Value, CultureInfo.InvariantCulture);
            }
            else if (line.Contains("does not match expectation", StringComparison.Ordinal))
            {
                mismatches.Add($"line {lineNo}: {line.Trim()}");
            }
            else if (Status().Match(line) is { Success: true } st)
            {
                statuses.Add((lineNo, st.Groups["code"].Success ? int.Parse(st.Groups["code"].Value, CultureInfo.InvariantCulture) : StatusCode(st.Groups["name"].Value)));
            }
        }

        Close();
        return new LlamaMemoryProfile(file, loadMode, model, contexts, statuses, mismatches);
    }

    /// <summary>Findings: buffers that grow between contexts of one configuration, failed statuses, mismatched checks, excessive totals.</summary>
    public static List<MemoryFinding> Findings(string source, LlamaMemoryProfile p, MemoryThresholds thresholds)
    {
        var findings = new List<MemoryFinding>();
        foreach (var group in p.Contexts.GroupBy(c => c.Configuration).Where(g => g.Count() > 1))
        {
            var list = group.ToList();
            // The same configuration should allocate the same buffers every time; growth from the first to the
            // last context is memory the log shows accumulating.
            var grown = list[^1].TotalMiB - list[0].TotalMiB;
            if (grown * 1.048576 >= thresholds.LeakMb)
            {
                findings.Add(new MemoryFinding(source, $"contexts {string.Join(",", list.Select(c => c.Index))}", "llama-log", MemoryFindingKind.Growth, list[0].TotalMiB * 1.048576,
                    list[^1].TotalMiB * 1.048576, list.Max(c => c.TotalMiB) * 1.048576, grown * 1.048576, null, null, null,
                    string.Create(CultureInfo.InvariantCulture, $"buffers of one configuration grew from {list[0].TotalMiB:F2} MiB to {list[^1].TotalMiB:F2} MiB over {list.Count} contexts ({group.Key})")));
            }
        }

        foreach (var (line, status) in p.Statuses.Where(s => s.Status is 2 or 3))
        {
            findings.Add(new MemoryFinding(source, null, "llama-log", MemoryFindingKind.Growth, null, null, null, null, null, null, status,
                $"line {line}: memory status {status} ({StatusName(status)})"));
        }

        findings.AddRange(p.Mismatches.Select(m => new MemoryFinding(source, null, "llama-log", MemoryFindingKind.Growth, null, null, null, null, null, null, null, m)));
        foreach (var d in p.Devices())
        {
            var mb = d.PeakMiB * 1.048576;
            var excessive = mb >= thresholds.ExcessiveMb;
            findings.Add(new MemoryFinding(source, d.Device, "llama-log", excessive ? MemoryFindingKind.Excessive : MemoryFindingKind.Ok, null, null, mb, null, null, null,
                p.Statuses.Count > 0 ? p.Statuses.Max(s => s.Status) : null,
                string.Create(CultureInfo.InvariantCulture, $"{d.Device}: model {d.ModelMiB:F2} MiB, KV cache {d.KvMiB:F2} MiB, compute {d.ComputeMiB:F2} MiB, output {d.OutputMiB:F2} MiB; peak {d.PeakMiB:F2} MiB over {p.Contexts.Count} contexts")));
        }

        return findings;
    }

    public static string StatusName(int status) => status switch
    {
        0 => "LLAMA_MEMORY_STATUS_SUCCESS",
        1 => "LLAMA_MEMORY_STATUS_NO_UPDATE",
        2 => "LLAMA_MEMORY_STATUS_FAILED_PREPARE",
        3 => "LLAMA_MEMORY_STATUS_FAILED_COMPUTE",
        _ => "unknown",
    };

    private static int StatusCode(string name) => name switch
    {
        "SUCCESS" => 0,
        "NO_UPDATE" => 1,
        "FAILED_PREPARE" => 2,
        _ => 3,
    };

    private static double Mib(string value, string unit) => double.Parse(value, CultureInfo.InvariantCulture) * (unit == "GiB" ? 1024 : 1);

    [GeneratedRegex(@"file size\s+=\s+(?<v>[\d.]+) (?<u>MiB|GiB)")]
    private static partial Regex FileSize();

    [GeneratedRegex(@"\(load_mode = (?<mode>\w+)\)")]
    private static partial Regex LoadMode();

    [GeneratedRegex(@"^\w+:\s+(?<dev>\S+)\s+(?<kind>model|KV|compute|output) buffer size =\s+(?<v>[\d.]+) MiB")]
    private static partial Regex Buffer();

    [GeneratedRegex(@"^llama_context: n_ctx\s+=\s+(?<n>\d+)")]
    private static partial Regex NCtx();

    [GeneratedRegex(@"(LLAMA_MEMORY_STATUS_(?<name>SUCCESS|NO_UPDATE|FAILED_PREPARE|FAILED_COMPUTE)|memory[_ ]status\s*[=:]\s*(?<code>[0-3])\b)")]
    private static partial Regex Status();
}
