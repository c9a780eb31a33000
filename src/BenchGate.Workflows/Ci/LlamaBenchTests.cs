using System.Globalization;
using BenchGate.Model;

namespace BenchGate.Workflows.Ci;

/// <summary>
/// The tests llama-bench runs for some arguments (pp512, tg128, pp512+tg128, each @dN): -p, -n, -pg and -d, their
/// comma lists, and llama-bench's defaults (-p 512 -n 128 -d 0), so that a configuration's threshold reaches its own
/// benchmarks and not those of another configuration of the same model.
/// </summary>
public static class LlamaBenchTests
{
    /// <summary>The test labels, or null when a value is not a plain list (llama-bench's ranges): the caller then matches the model alone.</summary>
    public static IReadOnlyList<string>? Of(IReadOnlyList<string> args)
    {
        // llama-bench adds a repeated flag's values to the first's (-p 64 -p 512 runs both); the defaults hold until one is given.
        List<long>? prompts = null, gens = null, depths = null;
        List<(long P, long N)> pg = [];
        static List<long> Add(List<long>? list, string text) => [.. list ?? [], .. Numbers(text) ?? [-1]];
        for (var i = 0; i + 1 < args.Count; i++)
        {
            switch (args[i])
            {
                case "-p" or "--n-prompt": prompts = Add(prompts, args[++i]); break;
                case "-n" or "--n-gen": gens = Add(gens, args[++i]); break;
                case "-d" or "--n-depth": depths = Add(depths, args[++i]); break;
                case "-pg":
                    var pair = Numbers(args[++i]);
                    if (pair is not [var p, var n])
                    {
                        return null;
                    }

                    pg.Add((p, n));
                    break;
            }
        }

        prompts ??= [512];
        gens ??= [128];
        depths ??= [0];
        if (prompts.Concat(gens).Concat(depths).Any(v => v < 0))
        {
            return null;
        }

        var tests = prompts.Where(p => p > 0).Select(p => (P: p, N: 0L)).Concat(gens.Where(n => n > 0).Select(n => (P: 0L, N: n))).Concat(pg);
        return [.. tests.Where(t => t.P + t.N > 0).SelectMany(t => depths.Select(d => TestLabel.Format(t.P, t.N, d))).Distinct()];
    }

    private static List<long>? Numbers(string text)
    {
        var values = new List<long>();
        foreach (var part in text.Split(','))
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            {
                return null;
            }

            values.Add(v);
        }

        return values;
    }
}
