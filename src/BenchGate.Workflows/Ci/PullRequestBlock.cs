namespace BenchGate.Workflows.Ci;

/// <summary>
/// The fenced <c>benchgate</c> block of a pull request's description (```benchgate … ``` or ~~~benchgate … ~~~):
/// its YAML, and the line of the description where that YAML starts, so that errors name the author's line.
/// </summary>
public sealed record PullRequestBlock(string Yaml, long FirstLine)
{
    /// <summary>The description's first benchgate block, or null when it has none.</summary>
    /// <exception cref="ConfigException">A block that is never closed, or a second block.</exception>
    public static PullRequestBlock? Find(string? description)
    {
        if (string.IsNullOrEmpty(description))
        {
            return null;
        }

        // GitHub stores descriptions typed in its editor with CRLF line ends.
        var lines = description.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        PullRequestBlock? found = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            var fence = line.StartsWith("```", StringComparison.Ordinal) ? "```" : line.StartsWith("~~~", StringComparison.Ordinal) ? "~~~" : null;
            if (fence is null || !string.Equals(line[3..].Trim(), "benchgate", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (found is not null)
            {
                throw new ConfigException($"line {i + 1} of the pull request's description: a second benchgate block (the first starts at line {found.FirstLine - 1}); keep one");
            }

            var end = Array.FindIndex(lines, i + 1, l => l.Trim().StartsWith(fence, StringComparison.Ordinal));
            if (end < 0)
            {
                throw new ConfigException($"line {i + 1} of the pull request's description: the benchgate block is never closed with {fence}");
            }

            found = new PullRequestBlock(string.Join('\n', lines[(i + 1)..end]), i + 2);
            i = end;
        }

        return found;
    }
}
