namespace BenchGate.Workflows;

/// <summary>Report files: their folder is made, text is UTF-8 without a byte-order mark.</summary>
public static class ReportFiles
{
    public static void Write(string path, string text)
    {
        using var file = Create(path);
        using var writer = new StreamWriter(file, new System.Text.UTF8Encoding(false));
        writer.Write(text);
    }

    public static FileStream Create(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new IOException("a report's file name is empty");
        }

        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
    }
}
