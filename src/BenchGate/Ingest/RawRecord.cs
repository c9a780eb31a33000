using BenchGate.Model;

namespace BenchGate.Ingest;

/// <summary>One record as a reader found it: field names and untyped values, in input order.</summary>
public sealed class RawRecord(int line)
{
    /// <summary>1-based line (text) or row (database) of the record.</summary>
    public int Line { get; private set; } = line;

    public List<KeyValuePair<string, FieldValue>> Fields { get; } = new(48);

    public double[]? SamplesNs { get; set; }

    public double[]? SamplesTs { get; set; }

    /// <summary>How a reader describes where the record is ("line 3", "row 3").</summary>
    public string LocationUnit { get; init; } = "line";

    public void Add(string name, FieldValue value) => Fields.Add(KeyValuePair.Create(name, value));

    /// <summary>Empties the record for the next row of a reader that hands out one record at a time.</summary>
    internal void Reset(int line)
    {
        Line = line;
        Fields.Clear();
        SamplesNs = null;
        SamplesTs = null;
    }
}
