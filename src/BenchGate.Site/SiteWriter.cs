using System.Text;
using BenchGate.Dashboard;

namespace BenchGate.Site;

/// <summary>What <see cref="SiteWriter.Write"/> wrote.</summary>
/// <param name="Directory">The site's folder.</param>
/// <param name="Pages">HTML pages written.</param>
/// <param name="Files">Every file written.</param>
/// <param name="Bytes">Their total size.</param>
public sealed record SiteFiles(string Directory, int Pages, int Files, long Bytes);

/// <summary>
/// Writes a <see cref="DashboardSite"/> as a static site. The site is written whole into a folder beside the output and
/// then put in its place, so a failure leaves the previous site (or nothing) rather than half of each; a folder that is
/// not a BenchGate site is never replaced.
/// </summary>
public static class SiteWriter
{
    /// <summary>Marks a folder as written by benchgate dashboard (and so safe to replace).</summary>
    public const string Marker = ".benchgate-dashboard";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static SiteFiles Write(DashboardSite site, string output)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(output));
        if (File.Exists(full))
        {
            throw new IOException($"{output}: is a file; give a folder for the site");
        }

        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !File.Exists(Path.Combine(full, Marker)))
        {
            throw new IOException($"{output}: the folder is not empty and was not written by benchgate dashboard; nothing was changed (give a new or empty folder)");
        }

        var parent = Path.GetDirectoryName(full) ?? throw new IOException($"{output}: cannot write a site at the root of a file system");
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(full)}.tmp-{Environment.ProcessId}");
        var old = Path.Combine(parent, $".{Path.GetFileName(full)}.old-{Environment.ProcessId}");
        try
        {
            var files = Render(site, staging);
            DeleteIfThere(old);
            if (Directory.Exists(full))
            {
                Directory.Move(full, old);
            }

            try
            {
                Directory.Move(staging, full);
            }
            catch (IOException)
            {
                // The new site could not be put in place: the previous one goes back where it was.
                if (Directory.Exists(old) && !Directory.Exists(full))
                {
                    Directory.Move(old, full);
                }

                throw;
            }

            try
            {
                DeleteIfThere(old);
            }
            catch (IOException)
            {
                // The new site is in place; a previous one that cannot be removed now is removed by the next run.
            }

            return files with { Directory = full };
        }
        finally
        {
            DeleteIfThere(staging);
        }
    }

    private static void DeleteIfThere(string dir)
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static SiteFiles Render(DashboardSite site, string dir)
    {
        try
        {
            return RenderAll(site, dir);
        }
        catch (AggregateException e) when (e.Flatten().InnerExceptions is [var first, ..] && first is IOException or UnauthorizedAccessException)
        {
            // A page that could not be written on another core is the same error as on this one (a full disk, a permission).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            throw;
        }
    }

    private static SiteFiles RenderAll(DashboardSite site, string dir)
    {
        DeleteIfThere(dir);

        Directory.CreateDirectory(Path.Combine(dir, "b"));
        Directory.CreateDirectory(Path.Combine(dir, "assets"));
        Directory.CreateDirectory(Path.Combine(dir, "data"));
        long bytes = 0;
        var files = 0;
        var pages = 0;
        // Pages are rendered on every core (1,000 benchmark pages are most of the work): the counters are shared.
        void Put(string relative, StringBuilder text)
        {
            var path = Path.Combine(dir, relative);
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var writer = new StreamWriter(file, Utf8, 1 << 15))
            {
                foreach (var chunk in text.GetChunks())
                {
                    writer.Write(chunk.Span);
                }

                writer.Flush();
                Interlocked.Add(ref bytes, file.Length);
            }

            Interlocked.Increment(ref files);
            if (relative.EndsWith(".html", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref pages);
            }
        }

        Put(Marker, new StringBuilder("This folder is written by benchgate dashboard and replaced whole each time.\n"));
        foreach (var asset in new[] { "site.css", "site.js" })
        {
            Put(Path.Combine("assets", asset), new StringBuilder(Asset(asset)));
        }

        Put("index.html", IndexPage.Render(site));
        Put("alerts.html", AlertsPage.Render(site));
        Put("compare.html", ComparePage.Render(site));
        Put("memory.html", MemoryPage.Render(site));
        var byKey = site.Benchmarks.ToLookup(b => b.Key);
        Parallel.ForEach(site.Benchmarks, b => Put(Path.Combine("b", b.PageId + ".html"), BenchmarkPage.Render(site, b, [.. byKey[b.Key]])));

        var entries = site.Benchmarks.SelectMany(b => b.Metrics.Select(t => (Benchmark: b, Trend: t))).ToList();
        Put(Path.Combine("data", "benchmarks.js"), new StringBuilder(ComparePage.Benchmarks(site, entries)));
        var perCommit = new List<(int, Trend.TrendPoint)>[site.Commits.Count];
        for (var s = 0; s < entries.Count; s++)
        {
            foreach (var p in entries[s].Trend.Series.Points)
            {
                if (site.CommitPositions.TryGetValue(p.Commit, out var i))
                {
                    (perCommit[i] ??= []).Add((s, p));
                }
            }
        }

        Parallel.For(0, perCommit.Length, i => Put(Path.Combine("data", $"commit-{i}.js"), ComparePage.Commit(i, perCommit[i] ?? [])));

        return new SiteFiles(dir, pages, files, bytes);
    }

    private static string Asset(string name)
    {
        using var stream = typeof(SiteWriter).Assembly.GetManifestResourceStream($"BenchGate.Site.Assets.{name}")
            ?? throw new InvalidOperationException($"asset {name} is not embedded");
        using var reader = new StreamReader(stream, Utf8);
        return reader.ReadToEnd();
    }
}
