using BenchGate.Model;

namespace BenchGate.Ingest;

/// <summary>Completes and checks the measurement fields of one record.</summary>
internal static class Measurements
{
    public static (long[]? SamplesNs, double[]? SamplesTs, long? ReportedStddevNs) Complete(FieldValue[] values, RawRecord raw)
    {
        var nPrompt = values[FieldOrdinals.NPrompt];
        var nGen = values[FieldOrdinals.NGen];
        if (nPrompt.IsNull || nGen.IsNull)
        {
            throw RecordNormalizer.Error(raw, nPrompt.IsNull ? "n_prompt" : "n_gen", "missing: without n_prompt and n_gen the test cannot be told");
        }

        if (nPrompt.Integer < 0 || nGen.Integer < 0 || nPrompt.Integer + nGen.Integer == 0)
        {
            throw RecordNormalizer.Error(raw, "n_prompt", $"a test needs n_prompt + n_gen > 0 (got {nPrompt.Integer} and {nGen.Integer})");
        }

        if (values[FieldOrdinals.NDepth] is { IsNull: false, Integer: < 0 })
        {
            throw RecordNormalizer.Error(raw, "n_depth", "must not be negative");
        }

        var tokens = nPrompt.Integer + nGen.Integer;
        var samplesNs = ToNanoseconds(raw);
        var samplesTs = ToRates(raw);
        if (samplesNs is not null && samplesTs is not null && samplesNs.Length != samplesTs.Length)
        {
            throw RecordNormalizer.Error(raw, "samples_ts", $"holds {samplesTs.Length} values but samples_ns holds {samplesNs.Length}");
        }

        long? reported = null;
        if (samplesNs is not null)
        {
            if (samplesTs is null)
            {
                samplesTs = new double[samplesNs.Length];
                for (var i = 0; i < samplesNs.Length; i++)
                {
                    samplesTs[i] = 1e9 * tokens / samplesNs[i];
                }
            }

            var (meanNs, sdNs) = MeanAndStddev(samplesNs);
            if (values[FieldOrdinals.AvgNs].IsNull)
            {
                values[FieldOrdinals.AvgNs] = FieldValue.FromInteger((long)Math.Floor(meanNs));
            }

            // llama-bench computes stddev_ns in uint64 arithmetic, which truncates and overflows past Σx² > 1.8e19.
            reported = values[FieldOrdinals.StddevNs].IsNull ? null : values[FieldOrdinals.StddevNs].Integer;
            values[FieldOrdinals.StddevNs] = FieldValue.FromInteger((long)Math.Round(sdNs));
        }

        if (samplesTs is not null && (values[FieldOrdinals.AvgTs].IsNull || values[FieldOrdinals.StddevTs].IsNull))
        {
            var (meanTs, sdTs) = MeanAndStddev(samplesTs);
            if (values[FieldOrdinals.AvgTs].IsNull)
            {
                values[FieldOrdinals.AvgTs] = FieldValue.FromReal(meanTs);
            }

            if (values[FieldOrdinals.StddevTs].IsNull)
            {
                values[FieldOrdinals.StddevTs] = FieldValue.FromReal(sdTs);
            }
        }

        Check(values, raw, FieldOrdinals.AvgTs, "avg_ts", required: true, strictlyPositive: true);
        if (values[FieldOrdinals.AvgTs] is { IsNull: false } ts && (ts.Kind == ValueKind.Real ? ts.Real : ts.Integer) > 1e9)
        {
            throw RecordNormalizer.Error(raw, "avg_ts", $"is {(ts.Kind == ValueKind.Real ? ts.Real : ts.Integer).ToString("G4", System.Globalization.CultureInfo.InvariantCulture)} tokens/s: no llama-bench run measures that (over a billion tokens per second)");
        }

        Check(values, raw, FieldOrdinals.StddevTs, "stddev_ts", required: false, strictlyPositive: false);
        Check(values, raw, FieldOrdinals.AvgNs, "avg_ns", required: false, strictlyPositive: true);
        Check(values, raw, FieldOrdinals.StddevNs, "stddev_ns", required: false, strictlyPositive: false);
        return (samplesNs, samplesTs, reported);
    }

    private static void Check(FieldValue[] values, RawRecord raw, int ordinal, string name, bool required, bool strictlyPositive)
    {
        var v = values[ordinal];
        if (v.IsNull)
        {
            if (required)
            {
                throw RecordNormalizer.Error(raw, name, "missing: the record has no measurement (avg_ts, or samples_ns/samples_ts)");
            }

            return;
        }

        var x = v.Kind == ValueKind.Real ? v.Real : v.Integer;
        if (double.IsNaN(x) || double.IsInfinity(x))
        {
            throw RecordNormalizer.Error(raw, name, $"is {(double.IsNaN(x) ? "NaN" : "infinite")}: no real measurement gives that");
        }

        if (x < 0 || (strictlyPositive && x == 0))
        {
            throw RecordNormalizer.Error(raw, name, $"must be {(strictlyPositive ? "positive" : "zero or more")}, got {v}: a zero or negative time or rate is not a measurement");
        }

        if (x > Implausible)
        {
            throw RecordNormalizer.Error(raw, name, $"is {x.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}: no llama-bench run measures that (a rate above a billion tokens per second, or a test over 11 days)");
        }
    }

    /// <summary>
    /// Beyond any real measurement: 1e9 tokens/s is four orders of magnitude past the fastest GPU, and 1e15 ns is
    /// eleven days. A value like 1e308 would overflow the statistics into infinities and contradictory verdicts.
    /// </summary>
    private const double Implausible = 1e15;

    private static long[]? ToNanoseconds(RawRecord raw)
    {
        if (raw.SamplesNs is not { } list)
        {
            return null;
        }

        var result = new long[list.Length];
        for (var i = 0; i < list.Length; i++)
        {
            var x = list[i];
            if (!(x > 0) || x != Math.Floor(x) || x > 9e18)
            {
                throw RecordNormalizer.Error(raw, "samples_ns", $"repetition {i + 1} is {x}: each must be a positive whole number of nanoseconds");
            }

            result[i] = (long)x;
        }

        return list.Length == 0 ? null : result;
    }

    private static double[]? ToRates(RawRecord raw)
    {
        if (raw.SamplesTs is not { Length: > 0 } list)
        {
            return null;
        }

        for (var i = 0; i < list.Length; i++)
        {
            if (!(list[i] > 0) || double.IsInfinity(list[i]))
            {
                throw RecordNormalizer.Error(raw, "samples_ts", $"repetition {i + 1} is {list[i]}: each must be a positive, finite rate");
            }
        }

        return list;
    }

    /// <summary>Mean and sample standard deviation (n − 1), two-pass for accuracy.</summary>
    internal static (double Mean, double Stddev) MeanAndStddev(ReadOnlySpan<double> xs)
    {
        var sum = 0.0;
        foreach (var x in xs)
        {
            sum += x;
        }

        var mean = sum / xs.Length;
        if (xs.Length < 2)
        {
            return (mean, 0);
        }

        var ss = 0.0;
        foreach (var x in xs)
        {
            ss += (x - mean) * (x - mean);
        }

        return (mean, Math.Sqrt(ss / (xs.Length - 1)));
    }

    private static (double Mean, double Stddev) MeanAndStddev(long[] xs)
    {
        Span<double> d = xs.Length <= 256 ? stackalloc double[xs.Length] : new double[xs.Length];
        for (var i = 0; i < xs.Length; i++)
        {
            d[i] = xs[i];
        }

        return MeanAndStddev(d);
    }
}
