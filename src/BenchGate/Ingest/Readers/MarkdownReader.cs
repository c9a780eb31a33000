using System.Globalization;
using System.Text;
using BenchGate.Model;

namespace BenchGate.Ingest.Readers;

/// <summary>
/// Reads <c>llama-bench -o md</c>. The table carries only model_type, approximate size and parameter
/// count, backend, the parameters that were not at their default, the test and avg_ts ± stddev_ts;
/// the <c>build: commit (number)</c> footer gives the build. Cells are split on '|', never by width,
/// because values overflow their columns. Lines outside a table (a verbose log) are skipped.
/// </summary>
public static class MarkdownReader
{
    /// <summary>md column name → canonical (or legacy) field name.</summary>
    private static readonly Dictionary<string, string> Columns = new(StringComparer.Ordinal)
    {
        ["model"] = "model_type",
        ["backend"] = "backends",
        ["ngl"] = "n_gpu_layers",
        ["threads"] = "n_threads",
        ["sm"] = "split_mode",
        ["nkvo"] = "no_kv_offload",
        ["fa"] = "flash_attn",
        ["dev"] = "devices",
        ["ts"] = "tensor_split",
        ["ot"] = "tensor_buft_overrides",
        ["lm"] = "load_mode",
        ["embd"] = "embeddings",
        ["nopo"] = "no_op_offload",
        ["noh"] = "no_host",
        ["fitt"] = "fit_target",
        ["fitc"] = "fit_min_ctx",
        ["mmap"] = "use_mmap",
        ["dio"] = "use_direct_io",
    };

    public static IEnumerable<RawRecord> Read(Stream stream)
    {
        using var text = new StreamReader(stream, Encoding.UTF8, true, 1 << 16, leaveOpen: true);
        string[]? header = null;
        var pending = new List<RawRecord>();
        var lineNo = 0;
        var sawTable = false;
        string? line;
        while ((line = text.ReadLine()) is not null)
        {
            lineNo++;
            var s = line.Trim();
            if (s.StartsWith('|'))
            {
                var cells = SplitRow(s);
                if (header is null)
                {
                    header = cells;
                    sawTable = true;
                    if (!header.Contains("test") || !header.Contains("t/s"))
                    {
                        throw new InputException("this markdown table has no 'test' and 't/s' columns: it is not llama-bench output", $"line {lineNo}");
                    }
                }
                else if (cells.All(c => c.Length > 0 && c.Trim(':', '-').Length == 0))
                {
                    continue;
                }
                else
                {
                    pending.Add(ParseRow(header, cells, lineNo));
                }
            }
            else if (s.StartsWith("build:", StringComparison.Ordinal))
            {
                var (commit, number) = ParseBuild(s, lineNo);
                foreach (var r in pending)
                {
                    r.Add("build_commit", FieldValue.FromText(commit));
                    r.Add("build_number", FieldValue.FromInteger(number));
                    yield return r;
                }

                pending.Clear();
                header = null;
            }
            else if (s.Length == 0 && header is not null && pending.Count == 0)
            {
                header = null;
            }
        }

        if (!sawTable)
        {
            throw new InputException("no llama-bench markdown table found");
        }

        // A run that died leaves a table without its build footer: keep the rows, commit unknown.
        foreach (var r in pending)
        {
            yield return r;
        }
    }

    private static string[] SplitRow(string s) =>
        [.. s.Trim('|').Split('|').Select(c => c.Trim())];

    private static RawRecord ParseRow(string[] header, string[] cells, int line)
    {
        if (cells.Length != header.Length)
        {
            throw new InputException($"the row has {cells.Length} cells but the header has {header.Length}", $"line {line}");
        }

        var record = new RawRecord(line);
        for (var i = 0; i < header.Length; i++)
        {
            var cell = cells[i];
            switch (header[i])
            {
                case "test":
                    if (!TestLabel.TryParse(cell, out var p, out var g, out var d))
                    {
                        throw new InputException($"cannot read the test name \"{cell}\" (expected pp512, tg128, pp512+tg128, pp512 @ d4096)", $"line {line}");
                    }

                    record.Add("n_prompt", FieldValue.FromInteger(p));
                    record.Add("n_gen", FieldValue.FromInteger(g));
                    if (cell.Contains('@', StringComparison.Ordinal))
                    {
                        record.Add("n_depth", FieldValue.FromInteger(d));
                    }

                    break;
                case "t/s":
                    var parts = cell.Split('±');
                    record.Add("avg_ts", FieldValue.FromText(parts[0].Trim()));
                    if (parts.Length > 1)
                    {
                        record.Add("stddev_ts", FieldValue.FromText(parts[1].Trim()));
                    }

                    break;
                case "size":
                    record.Add("model_size", FieldValue.FromInteger(ParseScaled(cell, line, "size", 1024)));
                    break;
                case "params":
                    record.Add("model_n_params", FieldValue.FromInteger(ParseScaled(cell, line, "params", 1000)));
                    break;
                default:
                    record.Add(Columns.GetValueOrDefault(header[i], header[i]), FieldValue.FromText(cell));
                    break;
            }
        }

        return record;
    }

    /// <summary>"4.69 MiB" → bytes, "1.23 M" → count. md rounds to 2 decimals, so these are approximations.</summary>
    private static long ParseScaled(string cell, int line, string column, double step)
    {
        var parts = cell.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
        {
            throw new InputException($"cannot read {column} \"{cell}\"", $"line {line}");
        }

        var unit = parts.Length > 1 ? parts[1] : "";
        var factor = unit switch
        {
            "" => 1,
            "KiB" or "K" => step,
            "MiB" or "M" => step * step,
            "GiB" or "B" => step * step * step,
            "TiB" or "T" => step * step * step * step,
            _ => throw new InputException($"unknown unit in {column} \"{cell}\"", $"line {line}"),
        };
        return (long)Math.Round(v * factor);
    }

    private static (string Commit, long Number) ParseBuild(string s, int line)
    {
        var rest = s["build:".Length..].Trim();
        var open = rest.IndexOf('(', StringComparison.Ordinal);
        if (open < 0 || !long.TryParse(rest[(open + 1)..].TrimEnd(')').Trim(), CultureInfo.InvariantCulture, out var number))
        {
            throw new InputException($"cannot read the build footer \"{s}\" (expected 'build: <commit> (<number>)')", $"line {line}");
        }

        return (rest[..open].Trim(), number);
    }
}
