namespace BenchGate.Workflows.Profile;

/// <summary>What profile was asked.</summary>
/// <param name="Bench">The new build's llama-bench.</param>
/// <param name="BaselineBench">The baseline build's llama-bench.</param>
/// <param name="Args">llama-bench's arguments, the same for both builds.</param>
/// <param name="Output">The markdown report's file (null: printed).</param>
/// <param name="Append">Append the markdown to <paramref name="Output"/> (a detect report, say) instead of replacing it.</param>
/// <param name="JsonOutput">The JSON report's file.</param>
/// <param name="Frequency">perf record's samples a second.</param>
/// <param name="Top">How many functions the reports list.</param>
/// <param name="Stat">Take perf stat's counters even when both builds have symbols.</param>
/// <param name="Nsys">When to run both builds under NVIDIA Nsight Systems too.</param>
/// <param name="AlertId">Attach the profile to this stored alert.</param>
/// <param name="Database">The database holding the alert.</param>
/// <param name="WorkDirectory">Where perf's data files are kept (null: a temporary directory, removed afterwards).</param>
/// <param name="Timeout">Before one profiled run is killed.</param>
/// <param name="Perf">The perf program.</param>
public sealed record ProfileRequest(string Bench, string BaselineBench, IReadOnlyList<string> Args, string? Output, bool Append, string? JsonOutput,
    int Frequency, int Top, bool Stat, NsysMode Nsys, long? AlertId, string Database, string? WorkDirectory, TimeSpan Timeout, string Perf = "perf");
