namespace BenchGate.Tests.Shared;

/// <summary>
/// Compares text with a file under the test project's Expected/ folder. Set BENCHGATE_UPDATE_GOLDEN=1 to
/// rewrite the files after a deliberate change, then review the diff.
/// </summary>
internal static class Golden
{
    public static void AssertMatches(string name, string actual)
    {
        var source = System.IO.Path.Combine(ProjectDirectory(), "Expected", name);
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("BENCHGATE_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(source)!);
            File.WriteAllText(source, actual);
        }

        Assert.True(File.Exists(source), $"{source} is missing; run with BENCHGATE_UPDATE_GOLDEN=1 to create it");
        Assert.Equal(File.ReadAllText(source), actual);
    }

    /// <summary>The test project's source folder (where Expected/ lives).</summary>
    public static string ProjectDirectory()
    {
        var project = System.Reflection.Assembly.GetExecutingAssembly().GetName().Name + ".csproj";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, project)))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"{project} not found above {AppContext.BaseDirectory}");
    }
}
