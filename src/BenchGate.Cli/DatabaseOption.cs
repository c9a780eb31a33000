using System.CommandLine;

namespace BenchGate.Cli;

/// <summary>The -d/--database option every storage command takes: a SQLite file or a PostgreSQL server; defaults to $BENCHGATE_DATABASE, then $RESULTS_DB as in the spec.</summary>
internal static class DatabaseOption
{
    public const string DefaultFile = "performance-results.sqlite";

    public static Option<string> Create(CliContext context, string description = "results database: a SQLite file, or PostgreSQL as postgres://user@host:port/db or Host=...;Database=...") => new("--database", "-d")
    {
        Description = $"{description}; default: $BENCHGATE_DATABASE, else $RESULTS_DB, else {DefaultFile}",
        DefaultValueFactory = _ => Default(context),
    };

    /// <summary>$BENCHGATE_DATABASE (a team's shared server), else the spec's $RESULTS_DB, else the file.</summary>
    public static string Default(CliContext context) =>
        context.Environment("BENCHGATE_DATABASE") is { Length: > 0 } shared ? shared
        : context.Environment("RESULTS_DB") is { Length: > 0 } env ? env : DefaultFile;
}
