namespace BenchGate.BackendOps;

/// <summary>
/// One row of <c>test-backend-ops perf</c>: an operation with its parameters on one backend, and how fast it ran.
/// The key is (backend, op, params, mode), as compare-llama-bench.py's test-backend-ops mode keys it.
/// </summary>
public sealed record BackendOpResult(
    string BuildCommit,
    string TestTime,
    string Backend,
    string Op,
    string Params,
    string Mode,
    bool Supported,
    bool Passed,
    double TimeUs,
    double Flops,
    double BandwidthGbS,
    long MemoryKb,
    long Runs)
{
    public (string Backend, string Op, string Params, string Mode) Key => (Backend, Op, Params, Mode);
}
