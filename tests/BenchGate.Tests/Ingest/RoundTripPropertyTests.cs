using BenchGate.Ingest;
using BenchGate.Model;
using CsCheck;

namespace BenchGate.Tests.Ingest;

/// <summary>Any llama-bench record, printed in each format and ingested, comes back equal to what that format prints.</summary>
public sealed class RoundTripPropertyTests
{
    // Text llama-bench could hold; without ' (its SQL does not escape) and | (md cannot hold it).
    private static readonly Gen<string> Word = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEF0123456789 ?._-/\"\\é"], 1, 24];

    private static readonly Gen<(List<(LlamaBenchField, FieldValue)> Row, long[] Ns)> Records =
        from texts in Word.Array[LlamaBenchSchema.Count]
        from ints in Gen.Long[0, 1L << 40].Array[LlamaBenchSchema.Count]
        from flags in Gen.Bool.Array[LlamaBenchSchema.Count]
        from nPrompt in Gen.Long[0, 4096]
        from nGen in Gen.Long[1, 512]
        from samples in Gen.Long[1_000, 10_000_000_000].Array[1, 12]
        select (Build(texts, ints, flags, nPrompt, nGen, samples), samples);

    private static List<(LlamaBenchField, FieldValue)> Build(string[] texts, long[] ints, bool[] flags, long nPrompt, long nGen, long[] samples)
    {
        var tokens = nPrompt + nGen;
        var rates = samples.Select(ns => 1e9 * tokens / ns).ToArray();
        var mean = samples.Average(x => (double)x);
        return [.. LlamaBenchSchema.Fields.Select(f => (f, f.Name switch
        {
            "n_prompt" => FieldValue.FromInteger(nPrompt),
            "n_gen" => FieldValue.FromInteger(nGen),
            "avg_ns" => FieldValue.FromInteger((long)Math.Floor(mean)),
            "stddev_ns" => FieldValue.FromInteger((long)Math.Round(Measurements.MeanAndStddev([.. samples.Select(x => (double)x)]).Stddev)),
            "avg_ts" => FieldValue.FromReal(Math.Round(rates.Average(), 6)),
            "stddev_ts" => FieldValue.FromReal(Math.Round(Measurements.MeanAndStddev(rates).Stddev, 6)),
            "flash_attn" => FieldValue.FromInteger((ints[f.Ordinal] % 3) - 1),
            _ => f.Type switch
            {
                FieldType.Text => FieldValue.FromText(texts[f.Ordinal].Trim() is { Length: > 0 } t ? t : "x"),
                FieldType.Boolean => FieldValue.FromInteger(flags[f.Ordinal] ? 1 : 0),
                _ => FieldValue.FromInteger(ints[f.Ordinal]),
            },
        }))];
    }

    private static void AssertSame(List<(LlamaBenchField Field, FieldValue Value)> row, BenchmarkRecord back)
    {
        foreach (var (field, value) in row)
        {
            Assert.Equal(value, back.Get(field.Ordinal));
        }
    }

    private static double Printed2(double x) =>
        double.Parse(x.ToString("F2", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Jsonl_and_json_round_trip_every_field_and_the_samples() =>
        Records.Sample(r =>
        {
            var samplesTs = r.Ns.Select(ns => 1e9 * (r.Row[33].Item2.Integer + r.Row[32].Item2.Integer) / ns).ToArray();
            var line = LlamaBenchPrinters.JsonObject(r.Row, r.Ns, samplesTs, pretty: false);
            var jsonl = FixtureReading.FromText(line + "\n" + line + "\n", InputFormat.Jsonl);
            var json = FixtureReading.FromText("[\n" + LlamaBenchPrinters.JsonObject(r.Row, r.Ns, samplesTs, pretty: true) + "\n]\n", InputFormat.Json);
            foreach (var back in jsonl.Append(json[0]))
            {
                AssertSame(r.Row, back);
                Assert.Equal(r.Ns, back.SamplesNs);
                Assert.Equal(r.Ns.Length, back.Repetitions);
            }
        }, iter: 300);

    [Fact]
    public void Csv_and_sql_round_trip_every_field() =>
        Records.Sample(r =>
        {
            AssertSame(r.Row, FixtureReading.FromText(LlamaBenchPrinters.Csv(r.Row), InputFormat.Csv).Single());
            AssertSame(r.Row, FixtureReading.FromText(LlamaBenchPrinters.Sql(r.Row), InputFormat.Sql).Single());
        }, iter: 300);

    [Fact]
    public void Md_round_trips_what_it_prints() =>
        Records.Sample(r =>
        {
            var full = FixtureReading.FromText(LlamaBenchPrinters.Csv(r.Row), InputFormat.Csv).Single();
            var md = FixtureReading.FromText(LlamaBenchPrinters.Markdown(full), InputFormat.Md).Single();
            // What %.2f prints (not Math.Round, which rounds half to even).
            Assert.Equal(Printed2(full.AvgTs), md.AvgTs);
            Assert.Equal(Printed2(full.StddevTs!.Value), md.StddevTs);
            Assert.Equal((full.NPrompt, full.NGen), (md.NPrompt, md.NGen));
            Assert.Equal(full.Get("model_type"), md.Get("model_type"));
            Assert.Equal(full.BuildCommit, md.BuildCommit);
            Assert.InRange(Math.Abs(md.Get("model_size").Integer - full.Get("model_size").Integer), 0, 0.005 * (1 << 20) + 1);
        }, iter: 300);
}
