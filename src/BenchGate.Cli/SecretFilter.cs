using System.Text;
using BenchGate.Storage.Postgres;

namespace BenchGate.Cli;

/// <summary>
/// The last line of defence for database passwords: every password named on the command line or in the environment
/// (a postgres:// URL, a connection string in any form Npgsql or libpq accepts, PGPASSWORD) is replaced by *** in
/// whatever benchgate writes to stdout and stderr, whichever code path a message came from.
/// </summary>
internal static partial class SecretFilter
{
    [System.Text.RegularExpressions.GeneratedRegex(@"://[^:/@\s]*:([^@\s]+)@|(?i)\b(?:password|pwd)\s*=\s*('(?:[^'\\]|\\.)*'|[^;&\s]+)")]
    private static partial System.Text.RegularExpressions.Regex LooseSecret();

    private static readonly string[] DatabaseVariables = ["BENCHGATE_DATABASE", "RESULTS_DB", "BASELINE_DB", "BENCHGATE_TEST_POSTGRES"];

    public static IReadOnlyList<string> Secrets(IEnumerable<string> args, Func<string, string?> environment)
    {
        var values = args.Concat(DatabaseVariables.Select(environment).OfType<string>())
            .Where(v => v.Contains('=', StringComparison.Ordinal) || v.Contains("://", StringComparison.Ordinal)).ToList();
        var secrets = values.Select(PostgresLocation.PasswordOf).OfType<string>().ToList();
        // A value that does not parse as a connection string still carries its password where a user would put it.
        foreach (var v in values)
        {
            foreach (System.Text.RegularExpressions.Match m in LooseSecret().Matches(v))
            {
                var s = m.Groups.Cast<System.Text.RegularExpressions.Group>().Skip(1).First(g => g.Success).Value.Trim('\'');
                secrets.Add(s);
                secrets.Add(Uri.UnescapeDataString(s));
            }
        }

        if (environment("PGPASSWORD") is { Length: > 0 } pg)
        {
            secrets.Add(pg);
        }

        // Very short passwords would blank out ordinary words; they are still never printed on purpose.
        return [.. secrets.Where(s => s.Length >= 4).Distinct().OrderByDescending(s => s.Length)];
    }

    public static CliContext Apply(CliContext context, IReadOnlyList<string> secrets) => secrets.Count == 0 ? context
        : context with { Out = new RedactingWriter(context.Out, secrets), Error = new RedactingWriter(context.Error, secrets) };

    /// <summary>Holds text until a line ends, so that a secret split over several writes is still found.</summary>
    private sealed class RedactingWriter(TextWriter inner, IReadOnlyList<string> secrets) : TextWriter
    {
        private readonly StringBuilder _line = new();

        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            _line.Append(value);
            if (value == '\n')
            {
                Emit();
            }
        }

        public override void Write(string? value)
        {
            _line.Append(value);
            if (value?.Contains('\n', StringComparison.Ordinal) == true)
            {
                Emit();
            }
        }

        public override void Flush()
        {
            Emit();
            inner.Flush();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Flush();
            }

            base.Dispose(disposing);
        }

        private void Emit()
        {
            if (_line.Length == 0)
            {
                return;
            }

            var text = _line.ToString();
            foreach (var s in secrets)
            {
                text = text.Replace(s, "***", StringComparison.Ordinal);
            }

            inner.Write(text);
            _line.Clear();
        }
    }
}
