using System.Globalization;

namespace BenchGate.Memory;

/// <summary>One GPU of the machine, as nvidia-smi or rocm-smi names it: part of the machine a run was measured on.</summary>
public sealed record GpuDevice(string Name, string Driver, long MemoryMib);

/// <summary>
/// What BenchGate reads from the GPU vendors' tools: the device memory one process holds (nvidia-smi, rocm-smi) and
/// the GPUs and driver of the machine (nvidia-smi, rocm-smi). Text in, numbers out: the tools themselves are run elsewhere.
/// </summary>
public static class GpuSmiOutput
{
    /// <summary>nvidia-smi's arguments for <see cref="NvidiaProcessMib"/>.</summary>
    public static readonly IReadOnlyList<string> NvidiaProcessQuery = ["--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits"];

    /// <summary>nvidia-smi's arguments for <see cref="NvidiaDevices"/>.</summary>
    public static readonly IReadOnlyList<string> NvidiaDeviceQuery = ["--query-gpu=name,driver_version,memory.total", "--format=csv,noheader,nounits"];

    /// <summary>rocm-smi's arguments for <see cref="RocmDevices"/>.</summary>
    public static readonly IReadOnlyList<string> RocmDeviceQuery = ["--showproductname", "--showdriverversion", "--showmeminfo", "vram", "--json"];

    /// <summary>rocm-smi's arguments for <see cref="RocmProcessBytes"/>.</summary>
    public static readonly IReadOnlyList<string> RocmProcessQuery = ["--showpids"];

    /// <summary>
    /// The MiB <paramref name="pid"/> holds on all GPUs, from <c>nvidia-smi --query-compute-apps=pid,used_memory
    /// --format=csv,noheader,nounits</c> ("12345, 1536" a line, one line per process and GPU); null when it holds none.
    /// </summary>
    public static long? NvidiaProcessMib(string csv, int pid)
    {
        long? total = null;
        foreach (var line in Lines(csv))
        {
            var f = line.Split(',', StringSplitOptions.TrimEntries);
            if (f.Length >= 2 && f[0] == pid.ToString(CultureInfo.InvariantCulture)
                && long.TryParse(f[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var mib))
            {
                total = (total ?? 0) + mib;
            }
        }

        return total;
    }

    /// <summary>
    /// The bytes of VRAM <paramref name="pid"/> holds, from <c>rocm-smi --showpids</c>'s table of KFD processes
    /// (PID, process name, GPU count, VRAM used in bytes, SDMA used, CU occupancy); null when it is not listed.
    /// </summary>
    public static long? RocmProcessBytes(string text, int pid)
    {
        // The process name may hold spaces: VRAM is counted from the end, as the header places it (… VRAM USED, SDMA
        // USED, CU OCCUPANCY; versions without the CU column have it one place nearer the end).
        var fromEnd = 3;
        foreach (var line in Lines(text))
        {
            if (line.Contains("VRAM USED", StringComparison.Ordinal))
            {
                var columns = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var at = Array.IndexOf(columns, "VRAM USED");
                fromEnd = at >= 0 ? columns.Length - at : fromEnd;
                continue;
            }

            var f = line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 2 + fromEnd && f[0] == pid.ToString(CultureInfo.InvariantCulture))
            {
                return long.TryParse(f[^fromEnd], NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes) ? bytes : null;
            }
        }

        return null;
    }

    /// <summary>The GPUs from <c>nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader,nounits</c>.</summary>
    public static IReadOnlyList<GpuDevice> NvidiaDevices(string csv) =>
        [.. Lines(csv).Select(l => l.Split(',', StringSplitOptions.TrimEntries))
            .Where(f => f.Length >= 3 && f[0].Length > 0)
            .Select(f => new GpuDevice(f[0], f[1], long.TryParse(f[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) ? m : 0))];

    /// <summary>
    /// The GPUs from <c>rocm-smi --showproductname --showdriverversion --showmeminfo vram --json</c>: an object per card
    /// ("card0"…) and "system" with the driver. A card is named by the marketing name its series carries in brackets
    /// ("Arcturus GL-XL [Instinct MI100]" → "AMD Instinct MI100"); ROCm 6.0 spells the key "Card series", 6.1 "Card Series".
    /// Text that is not such JSON gives no GPU.
    /// </summary>
    public static IReadOnlyList<GpuDevice> RocmDevices(string json)
    {
        // Warnings may precede the JSON (amd-smi, rocm-smi's successor, prints them into --json): read from the first brace.
        var start = json.IndexOf('{', StringComparison.Ordinal);
        var end = json.LastIndexOf('}');
        if (start < 0 || end < start)
        {
            return [];
        }

        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json.AsMemory(start, end - start + 1));
            if (doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                return [];
            }

            var driver = doc.RootElement.TryGetProperty("system", out var system) ? Field(system, "Driver version") ?? "" : "";
            return [.. doc.RootElement.EnumerateObject()
                .Where(p => p.Name.StartsWith("card", StringComparison.Ordinal) && p.Value.ValueKind == System.Text.Json.JsonValueKind.Object)
                .Select(p => (Series: Field(p.Value, "Card series") ?? Field(p.Value, "Device Name"), Memory: Field(p.Value, "VRAM Total Memory (B)")))
                .Where(c => c.Series is { Length: > 0 })
                .Select(c => new GpuDevice(AmdName(c.Series!), driver,
                    long.TryParse(c.Memory, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes) ? bytes / (1024 * 1024) : 0))];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }

    private static string? Field(System.Text.Json.JsonElement card, string name) =>
        card.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: System.Text.Json.JsonValueKind.String } p
            ? p.Value.GetString()
            : null;

    private static string AmdName(string series)
    {
        var open = series.LastIndexOf('[');
        var close = series.LastIndexOf(']');
        var name = open >= 0 && close > open + 1 ? series[(open + 1)..close].Trim() : series.Trim();
        return name.StartsWith("AMD ", StringComparison.Ordinal) ? name : "AMD " + name;
    }

    /// <summary>
    /// The GPUs as part of a machine's name: "NVIDIA GeForce RTX 4090, driver 550.54.14" (2× for two alike), so that a
    /// new GPU or driver starts a new history instead of reading as a change in llama.cpp.
    /// </summary>
    public static string? Describe(IReadOnlyList<GpuDevice> devices) => devices.Count == 0 ? null : string.Join(" + ",
        devices.GroupBy(d => (d.Name, d.Driver)).Select(g => $"{(g.Count() > 1 ? $"{g.Count()}× " : "")}{g.Key.Name}, driver {g.Key.Driver}"));

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
