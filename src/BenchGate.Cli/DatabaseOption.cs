using System.CommandLine;

namespace BenchGate.Cli;

/// <summary>The -d/--database option every storage command takes; defaults to $RESULTS_DB as in the spec.</summary>
internal static class DatabaseOption
{
    public const string DefaultFile = "performance-results.sqlite";

    public static Option<string> Create(CliContext context, string description = "results database (SQLite file)") => new("--database", "-d")
    {
        Description = $"{description}; default: $RESULTS_DB or {DefaultFile}",
        DefaultValueFactory = _ => context.Environment("RESULTS_DB") is { Length: > 0 } env ? env : DefaultFile,
    };
}
