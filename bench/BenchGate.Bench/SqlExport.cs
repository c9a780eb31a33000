using System.Text;
using BenchGate.Ingest;
using BenchGate.Model;

namespace BenchGate.Bench;

/// <summary>Writes rows the way <c>llama-bench -o sql</c> prints them: a CREATE TABLE, then one INSERT per row.</summary>
internal static class SqlExport
{
    public static long Write(string input, string output)
    {
        using var stream = File.OpenRead(input);
        using var w = new StreamWriter(output, false, new UTF8Encoding(false), 1 << 20);
        w.WriteLine("CREATE TABLE IF NOT EXISTS llama_bench (");
        w.WriteLine(string.Join(",\n", LlamaBenchSchema.Fields.Select(f => $"  {f.Name} {f.SqlType}")));
        w.WriteLine(");");
        w.WriteLine();
        var columns = string.Join(", ", LlamaBenchSchema.Fields.Select(f => f.Name));
        long n = 0;
        foreach (var raw in TextFormatReaders.Open(InputFormat.Jsonl, stream))
        {
            var r = RecordNormalizer.Normalize(raw);
            var values = string.Join(", ", LlamaBenchSchema.Fields.Select(f => "'" + SqlText(r.Get(f.Ordinal)) + "'"));
            w.WriteLine($"INSERT INTO llama_bench ({columns}) VALUES ({values});");
            n++;
        }

        return n;
    }

    private static string SqlText(FieldValue v) => v.Kind switch
    {
        ValueKind.Real => v.Real.ToString("F6", System.Globalization.CultureInfo.InvariantCulture),
        ValueKind.Boolean => v.Integer.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => v.ToString(),
    };
}
