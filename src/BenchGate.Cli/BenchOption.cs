using System.CommandLine;

namespace BenchGate.Cli;

/// <summary>The --bench option of run and ci: one default for both.</summary>
internal static class BenchOption
{
    /// <summary>Where llama.cpp's CMake build puts it.</summary>
    public const string BuildPath = "build/bin/llama-bench";

    public static Option<string> Create(string description) => new("--bench")
    {
        Description = $"{description}; default {BuildPath} when it exists (llama.cpp's build), else llama-bench on the PATH",
        DefaultValueFactory = _ => File.Exists(BuildPath) ? BuildPath : "llama-bench",
    };
}
