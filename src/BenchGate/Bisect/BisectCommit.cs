namespace BenchGate.Bisect;

/// <summary>A commit of the bisected range, oldest first: its full hash and subject line.</summary>
public sealed record BisectCommit(string Sha, string Subject)
{
    public string Short => Sha.Length > 9 ? Sha[..9] : Sha;
}

/// <summary>A probed commit: where it sits in the range, its verdict, and whether the verdict came from the cache.</summary>
public sealed record BisectProbe(int Index, BisectCommit Commit, ProbeVerdict Verdict, bool Cached, int Step);
