using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests;

/// <summary>Places the llama-bench stand-in (StandIn/llama-bench, a script) where a test needs a llama-bench binary.</summary>
internal static class StandIn
{
    /// <summary>
    /// An executable copy at <paramref name="relativePath"/> in <paramref name="dir"/> that replays <paramref name="fixture"/>
    /// (the stand-in replays the file named like itself plus ".jsonl"), and a model file model.gguf for its -m.
    /// </summary>
    public static string Create(TempDir dir, string relativePath, string? fixture = null)
    {
        var path = dir.File(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "StandIn", "llama-bench"), path, overwrite: true);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (fixture is not null)
        {
            File.Copy(Fixtures.Path(fixture), path + ".jsonl", overwrite: true);
        }

        File.WriteAllText(dir.File("model.gguf"), "GGUF");
        return path;
    }

    /// <summary>An executable shell script at <paramref name="relativePath"/> (a stand-in for a tool this machine lacks), LF line endings.</summary>
    public static string Script(TempDir dir, string relativePath, string text)
    {
        var path = dir.File(relativePath);
        File.WriteAllText(path, text.Replace("\r", "", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }
}
