using System.Security.Cryptography;

namespace BenchGate.Tests.Shared;

/// <summary>Real llama-bench outputs, copied unchanged from shared/fixtures into tests/fixtures.</summary>
internal static class Fixtures
{
    public static string Root { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "fixtures");

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public static Stream Open(string relative) => File.OpenRead(Path(relative));

    public static string Text(string relative) => File.ReadAllText(Path(relative));

    public static string Sha256(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));

    /// <summary>A file of the repository itself (docs, schemas, integration files), found above the test's output folder.</summary>
    public static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "BenchGate.slnx")))
            {
                return System.IO.Path.Combine(dir.FullName, relative);
            }
        }

        throw new FileNotFoundException(relative);
    }
}

/// <summary>A temporary directory removed after the test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "benchgate-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Copy(string fixture)
    {
        var target = File(System.IO.Path.GetFileName(fixture));
        System.IO.File.Copy(Fixtures.Path(fixture), target, overwrite: true);
        return target;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
