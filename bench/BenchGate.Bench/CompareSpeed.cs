using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace BenchGate.Bench;

/// <summary>
/// Issue #4's speed target: benchgate compare beside compare-llama-bench.py on one llama_bench database of 120,000
/// rows with two commits, 10,000 of them comparable (5,000 configurations run by both builds; the other 110,000
/// rows are configurations only one build ran). Both are run as the user runs them, alternating, each a fresh process.
/// </summary>
internal static class CompareSpeed
{
    public static int Run(string? script, int repeats)
    {
        var dir = Path.Combine(Path.GetTempPath(), "benchgate-compare-speed");
        Directory.CreateDirectory(dir);
        var shape = Environment.GetEnvironmentVariable("COMPARE_SHAPE");
        var db = shape switch
        {
            "paired" => BuildPaired(Path.Combine(dir, "llama-bench-120k-paired.sqlite")),
            "paired-jsonl" => PairedJsonl(Path.Combine(dir, "llama-bench-120k-paired.jsonl"), BuildPaired(Path.Combine(dir, "llama-bench-120k-paired.sqlite"))),
            _ => Build(Path.Combine(dir, "llama-bench-120k.sqlite")),
        };
        var root = RepoRoot();
        var cli = Path.Combine(root, "src", "BenchGate.Cli", "bin", "Release", "net10.0", "BenchGate.Cli.dll");
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine($"build the tool first: dotnet build -c Release src/BenchGate.Cli ({cli} is missing)");
            return 2;
        }

        var tools = new List<(string Name, string Program, string[] Args)> { ("benchgate compare (framework-dependent)", "dotnet", [cli, "compare", "-i", db, "-b", "aaaaaaaaa", "-c", "bbbbbbbbb"]) };
        var native = Environment.GetEnvironmentVariable("BENCHGATE_EXE") is { Length: > 0 } exe ? exe : Path.Combine(root, "artifacts", "native", "benchgate");
        if (File.Exists(native))
        {
            tools.Add(("benchgate compare (native)", native, ["compare", "-i", db, "-b", "aaaaaaaaa", "-c", "bbbbbbbbb"]));
        }
        else
        {
            Console.Error.WriteLine($"no native build at {native}: publish it as docs/native.md says to time it too");
        }

        string? firstTable = null;
        if (script is not null)
        {
            // The script needs GitPython and tabulate: PYTHON names an interpreter that has them.
            // The script tells jsonl's tool only when told (-t); it finds a database's from its tables.
            string[] tool = shape == "paired-jsonl" ? ["-t", "llama-bench"] : [];
            tools.Insert(0, ("compare-llama-bench.py", Environment.GetEnvironmentVariable("PYTHON") ?? "python3", [script, .. tool, "-i", db, "-b", "aaaaaaaaa", "-c", "bbbbbbbbb"]));
        }

        var results = tools.ToDictionary(t => t.Name, _ => new List<(double Seconds, double Mb, int Rows)>());
        for (var i = 0; i < repeats; i++)
        {
            foreach (var (name, program, args) in tools)
            {
                var (seconds, mb, stdout) = Time(program, args, dir);
                var rows = stdout.Split('\n').Count(l => l.StartsWith("| ", StringComparison.Ordinal)) - 1;
                if (name.StartsWith("benchgate", StringComparison.Ordinal) && (firstTable ??= stdout) != stdout)
                {
                    throw new InvalidOperationException($"{name} printed a different table from the first benchgate run");
                }

                results[name].Add((seconds, mb, rows));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {i + 1}: {name}: {seconds:F2} s, peak {mb:F0} MB, {rows} table rows"));
            }
        }

        foreach (var (name, list) in results)
        {
            var s = list.Select(x => x.Seconds).Order().ToList();
            var m = list.Select(x => x.Mb).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median {name}: {s[s.Count / 2]:F2} s, peak {m[m.Count / 2]:F0} MB"));
        }

        return 0;
    }

    /// <summary>Runs one command under /usr/bin/time: wall seconds, peak RSS (MB) and its stdout.</summary>
    private static (double Seconds, double Mb, string Stdout) Time(string program, string[] args, string dir)
    {
        var psi = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        foreach (var a in (string[])["-f", "TIME %e %M", program, .. args])
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        var line = stderr.Split('\n').Last(l => l.StartsWith("TIME ", StringComparison.Ordinal)).Split(' ');
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed ({p.ExitCode}): {stderr}");
        }

        return (double.Parse(line[1], CultureInfo.InvariantCulture), double.Parse(line[2], CultureInfo.InvariantCulture) / 1024, stdout.Result);
    }

    /// <summary>
    /// 120,000 rows from the first row of a real llama-bench database: builds aaaaaaaaa and bbbbbbbbb, 60,000 rows each;
    /// n_prompt 1..5,000 were run by both (10,000 comparable rows), the rest by one build only.
    /// </summary>
    private static string Build(string path) => FromTemplate(path,
        "WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 60000)",
        "CASE WHEN i.n <= 5000 OR side.commit_label = 'aaaaaaaaa' THEN i.n ELSE 100000 + i.n END",
        "FROM i, template t, (SELECT 'aaaaaaaaa' AS commit_label UNION ALL SELECT 'bbbbbbbbb') side");

    /// <summary>
    /// The fully paired shape (issue #18): 20,000 configurations × 3 runs × 2 builds, every row pairs; rows are stored
    /// configuration by configuration (a build's three runs of one configuration, then the other build's), as a
    /// script that loops over configurations and runs llama-bench three times for each would store them.
    /// </summary>
    public static string BuildPaired(string path) => FromTemplate(path, """
        WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 20000),
          r(k) AS (VALUES (1), (2), (3)),
          side(commit_label, o) AS (VALUES ('aaaaaaaaa', 0), ('bbbbbbbbb', 1))
        """, "i.n", "FROM i, side, r, template t ORDER BY i.n, side.o, r.k");

    /// <summary>The fully paired rows as llama-bench's jsonl (one JSON object a line, in the database's order): compare from text.</summary>
    private static string PairedJsonl(string path, string db)
    {
        if (File.Exists(path))
        {
            return path;
        }

        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly");
        c.Open();
        var columns = new List<string>();
        using (var info = c.CreateCommand())
        {
            info.CommandText = "SELECT name FROM pragma_table_info('llama_bench')";
            using var r = info.ExecuteReader();
            while (r.Read())
            {
                columns.Add(r.GetString(0));
            }
        }

        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT json_object({string.Join(", ", columns.Select(n => $"'{n}', \"{n}\""))}) FROM llama_bench ORDER BY rowid";
        using var rows = cmd.ExecuteReader();
        using var output = new StreamWriter(path);
        while (rows.Read())
        {
            output.WriteLine(rows.GetString(0));
        }

        return path;
    }

    /// <summary>
    /// A llama_bench table of copies of a real row (the first of commits_lm_mmap.sqlite): <paramref name="rows"/> (CTEs)
    /// and <paramref name="from"/> say which rows there are, each with build <c>side.commit_label</c>, n_prompt
    /// <paramref name="nPrompt"/> and avg_ts within ±10% of the real row's. Made once: an existing file is kept.
    /// </summary>
    private static string FromTemplate(string path, string rows, string nPrompt, string from)
    {
        if (File.Exists(path))
        {
            return path;
        }

        File.Copy(JsonlGenerator.FindFixture("llama-bench/commits/commits_lm_mmap.sqlite"), path);
        using var c = new SqliteConnection($"Data Source={path}");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"""
            CREATE TEMP TABLE template AS SELECT * FROM llama_bench LIMIT 1;
            DELETE FROM llama_bench;
            {rows}
            INSERT INTO llama_bench
            SELECT side.commit_label, t.build_number, t.cpu_info, t.gpu_info, t.backends, t.model_filename, t.model_type, t.model_size, t.model_n_params,
                   t.n_batch, t.n_ubatch, t.n_threads, t.cpu_mask, t.cpu_strict, t.poll, t.type_k, t.type_v, t.n_gpu_layers, t.n_cpu_moe, t.split_mode,
                   t.main_gpu, t.no_kv_offload, t.flash_attn, t.devices, t.tensor_split, t.tensor_buft_overrides, t.load_mode, t.embeddings, t.no_op_offload,
                   t.no_host, t.fit_target, t.fit_min_ctx, {nPrompt}, 0, 0, t.test_time,
                   t.avg_ns, t.stddev_ns, t.avg_ts * (0.9 + (abs(random()) % 2000) / 10000.0), t.stddev_ts
            {from};
            """;
        cmd.ExecuteNonQuery();
        return path;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BenchGate.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("BenchGate.slnx");
    }
}
