using BenchGate.Detection;
using BenchGate.Model;
using BenchGate.Statistics;

namespace BenchGate.Compare;

/// <summary>What the columns of a compare matrix are.</summary>
public enum MatrixAxis
{
    /// <summary>One column per model (file, or type when no file is known).</summary>
    Model,

    /// <summary>One column per backend list (CPU, CUDA, Metal,BLAS…).</summary>
    Backend,

    /// <summary>One column per model and backend.</summary>
    ModelAndBackend,
}

/// <summary>
/// One benchmark's cell: detect's estimate of compare / baseline (the table's Change; the table's Speedup where detect
/// made none), with its interval and verdict.
/// </summary>
public sealed record MatrixCell(double Speedup, double? Low, double? High, Verdict? Verdict);

/// <summary>One row: a test and every other parameter that differs, with a cell per column (null where that column has no such benchmark).</summary>
public sealed record MatrixRow(string Label, IReadOnlyList<MatrixCell?> Cells);

/// <summary>
/// A column's geometric-mean speedup over its benchmarks, with a t interval of the mean log speedup from the spread
/// between them (at the compare's level; null with fewer than two benchmarks). It treats the benchmarks as independent
/// and ignores each one's measurement noise: how the column moved as a whole, not how precisely each was measured.
/// </summary>
public sealed record MatrixSummary(int Benchmarks, double GeometricMean, double? Low, double? High);

/// <summary>
/// Every benchmark of one model (over all its backends) or one backend (over all its models), summarised as a column
/// is: a change that moves one backend of every model shows here even where no single column says it.
/// </summary>
public sealed record MatrixGroup(MatrixAxis Axis, string Name, MatrixSummary Summary);

/// <summary>
/// One compare across models and backends: rows are tests, columns models, backends or both, and each column's
/// geometric mean says how the change moved that model or backend as a whole. <see cref="Groups"/> summarises each model
/// and each backend that the columns do not already stand for alone (with models as columns, each backend; with backends,
/// each model; with both, each model when a model has several backends and each backend when a backend has several models).
/// </summary>
public sealed record CompareMatrix(MatrixAxis Axis, IReadOnlyList<string> Columns, IReadOnlyList<MatrixRow> Rows, IReadOnlyList<MatrixSummary> Summaries,
    IReadOnlyList<MatrixGroup> Groups, string Level)
{
    private static readonly string[] ModelFields = ["model_filename", "model_type", "model_size", "model_n_params"];

    /// <summary>The axis a user names: <c>model</c>, <c>backend</c> or <c>model,backend</c>.</summary>
    /// <exception cref="InputException">Any other text.</exception>
    public static MatrixAxis ParseAxis(string? text) => (text ?? "model,backend").Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant() switch
    {
        "model" or "models" => MatrixAxis.Model,
        "backend" or "backends" => MatrixAxis.Backend,
        "model,backend" or "backend,model" or "models,backends" => MatrixAxis.ModelAndBackend,
        _ => throw new InputException($"--matrix takes model, backend or model,backend, not '{text}'"),
    };

    /// <summary>The matrix of a llama-bench compare's rows (rows without a key, test-backend-ops', are left out).</summary>
    public static CompareMatrix From(CompareResult result, MatrixAxis axis)
    {
        var axisFields = axis switch
        {
            MatrixAxis.Model => ModelFields,
            MatrixAxis.Backend => ["backends"],
            _ => [.. ModelFields, "backends"],
        };
        // A model column is named by its file; a file name that several model types share is named with its type too.
        var typesOfModel = result.Rows.Where(r => r.Key is not null).GroupBy(r => BenchmarkTitle.Model(r.Key!))
            .ToDictionary(g => g.Key, g => g.Select(r => r.Key!["model_type"]).Distinct().Count(), StringComparer.Ordinal);
        var labelled = result.ShownColumns.Select(CompareColumns.FieldNamed).Select((f, i) => (Field: f, Index: i))
            .Where(c => c.Field is null || !axisFields.Contains(c.Field)).Select(c => c.Index).ToList();
        var columns = new List<string>();
        var groups = new Dictionary<(MatrixAxis Axis, string Name), (List<double> Speedups, HashSet<int> Columns)>();
        var rows = new List<(string Label, Dictionary<int, MatrixCell> Cells)>();
        var rowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in result.Rows.Where(r => r.Key is not null))
        {
            var column = ColumnOf(row.Key!, axis, typesOfModel);
            var c = columns.IndexOf(column);
            if (c < 0)
            {
                columns.Add(column);
                c = columns.Count - 1;
            }

            var parts = labelled.Select(i => row.Shown[i]).Where(s => s.Length > 0).Prepend(row.Test ?? "").Where(s => s.Length > 0);
            var baseLabel = string.Join(" · ", parts);
            var label = baseLabel;
            // Two benchmarks of one column that nothing shown tells apart are never merged: the second gets a row of its own.
            for (var n = 2; rowOf.TryGetValue(label, out var r) && rows[r].Cells.ContainsKey(c); n++)
            {
                label = $"{baseLabel} (#{n})";
            }

            if (!rowOf.TryGetValue(label, out var at))
            {
                rowOf[label] = at = rows.Count;
                rows.Add((label, []));
            }

            var e = row.Verdict?.Estimate;
            // detect's estimate, so that the point lies in its interval (the table's Speedup, a ratio of arithmetic means
            // weighted by repetitions, agrees with it within the spread between runs).
            var cell = rows[at].Cells[c] = e is null
                ? new MatrixCell(row.Speedup, null, null, null)
                : new MatrixCell(1 + (e.ChangePercent / 100), 1 + (e.CiLowPercent / 100), 1 + (e.CiHighPercent / 100), row.Verdict!.Verdict);
            foreach (var group in GroupsOf(row.Key!, axis, typesOfModel))
            {
                var (speedups, inColumns) = groups.TryGetValue(group, out var g) ? g : groups[group] = ([], []);
                speedups.Add(cell.Speedup);
                inColumns.Add(c);
            }
        }

        var matrixRows = rows.Select(r => new MatrixRow(r.Label, [.. Enumerable.Range(0, columns.Count).Select(c => r.Cells.GetValueOrDefault(c))])).ToList();
        var summaries = Enumerable.Range(0, columns.Count)
            .Select(c => Summarise([.. matrixRows.Select(r => r.Cells[c]).OfType<MatrixCell>().Select(x => x.Speedup)], result.Alpha)).ToList();
        // With models and backends as columns, a dimension none of whose groups spans two columns would only repeat them.
        var spanning = groups.Where(g => g.Value.Columns.Count > 1).Select(g => g.Key.Axis).ToHashSet();
        var groupSummaries = groups.Where(g => axis != MatrixAxis.ModelAndBackend || spanning.Contains(g.Key.Axis))
            .OrderBy(g => g.Key.Axis).ThenBy(g => g.Key.Name, StringComparer.Ordinal)
            .Select(g => new MatrixGroup(g.Key.Axis, g.Key.Name, Summarise(g.Value.Speedups, result.Alpha))).ToList();
        return new CompareMatrix(axis, columns, matrixRows, summaries, groupSummaries, result.Level);
    }

    /// <summary>The model and backend groups a benchmark belongs to, besides its column.</summary>
    private static IEnumerable<(MatrixAxis, string)> GroupsOf(BenchmarkKey key, MatrixAxis axis, Dictionary<string, int> typesOfModel)
    {
        if (axis != MatrixAxis.Model)
        {
            yield return (MatrixAxis.Model, ColumnOf(key, MatrixAxis.Model, typesOfModel));
        }

        if (axis != MatrixAxis.Backend)
        {
            yield return (MatrixAxis.Backend, ColumnOf(key, MatrixAxis.Backend, typesOfModel));
        }
    }

    private static string ColumnOf(BenchmarkKey key, MatrixAxis axis, Dictionary<string, int> typesOfModel)
    {
        var model = BenchmarkTitle.Model(key);
        model = typesOfModel[model] > 1 ? $"{model} ({key["model_type"]})" : model;
        return axis switch
        {
            MatrixAxis.Model => model,
            MatrixAxis.Backend => key["backends"],
            _ => $"{model} · {key["backends"]}",
        };
    }

    /// <summary>Geometric mean of the speedups, with a one-sample t interval of their logarithms at (1 − 2α).</summary>
    internal static MatrixSummary Summarise(IReadOnlyList<double> speedups, double alpha)
    {
        var logs = speedups.Where(s => double.IsFinite(s) && s > 0).Select(s => Math.Log(s)).ToArray();
        if (logs.Length == 0)
        {
            return new MatrixSummary(0, double.NaN, null, null);
        }

        var mean = logs.Average();
        if (logs.Length < 2)
        {
            return new MatrixSummary(1, Math.Exp(mean), null, null);
        }

        var sd = Math.Sqrt(logs.Sum(l => (l - mean) * (l - mean)) / (logs.Length - 1));
        var half = StudentT.Quantile(1 - alpha, logs.Length - 1) * sd / Math.Sqrt(logs.Length);
        return new MatrixSummary(logs.Length, Math.Exp(mean), Math.Exp(mean - half), Math.Exp(mean + half));
    }
}
