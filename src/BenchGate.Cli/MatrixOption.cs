using System.CommandLine;

namespace BenchGate.Cli;

/// <summary>--matrix [model|backend|model,backend] of detect and ci pr: given alone, models and backends.</summary>
internal static class MatrixOption
{
    public const string Default = "model,backend";

    public static Option<string?> Create(string description) =>
        new("--matrix") { Description = $"{description} (model, backend, model,backend: the default)", Arity = ArgumentArity.ZeroOrOne };

    public static string? Value(ParseResult p, Option<string?> option) => p.GetResult(option) is null ? null : p.GetValue(option) ?? Default;
}
