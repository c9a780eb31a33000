namespace BenchGate.Ingest;

/// <summary>What the user said about the inputs of one ingest.</summary>
/// <param name="Format">Input format, or <see cref="InputFormat.Auto"/> to detect it from the content.</param>
/// <param name="Commit">Commit under test; defaults to llama-bench's build_commit.</param>
/// <param name="Branch">Branch the commit is on.</param>
/// <param name="Machine">Machine or CI runner name.</param>
/// <param name="RunId">Run id; a source holding several runs gets suffixes .2, .3, ...</param>
/// <param name="AllowDuplicates">Ingest content that was ingested before.</param>
/// <param name="PairId">Pairs the run with a run of another build made beside it (run --interleave).</param>
public sealed record IngestOptions(
    InputFormat Format = InputFormat.Auto,
    string? Commit = null,
    string? Branch = null,
    string? Machine = null,
    string? RunId = null,
    bool AllowDuplicates = false,
    string? PairId = null);

/// <summary>What happened to one input.</summary>
public sealed record IngestOutcome(
    string Source,
    InputFormat Format,
    IReadOnlyList<string> RunIds,
    int Rows,
    int Keys,
    int RowsWithSamples,
    IReadOnlyList<string> MissingFields,
    IReadOnlyList<string> ExtraFields,
    IReadOnlyList<string> Notes,
    string? SkippedBecause = null)
{
    public bool Skipped => SkippedBecause is not null;
}
