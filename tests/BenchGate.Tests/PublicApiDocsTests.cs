using System.Xml.Linq;

namespace BenchGate.Tests;

/// <summary>Every public type of the core says what it is in an XML doc comment (the brief's rule; CS1591 would ask it of every member).</summary>
public sealed class PublicApiDocsTests
{
    [Fact]
    public void Every_public_type_of_the_core_has_a_summary()
    {
        var assembly = typeof(BenchGateException).Assembly;
        var xml = Path.ChangeExtension(assembly.Location, ".xml");
        Assert.True(File.Exists(xml), $"{xml}: the build writes the core's XML docs (GenerateDocumentationFile)");
        var documented = XDocument.Load(xml).Descendants("member")
            .Where(m => m.Element("summary") is { } s && s.Value.Trim().Length > 0)
            .Select(m => (string)m.Attribute("name")!)
            .ToHashSet(StringComparer.Ordinal);
        var missing = assembly.GetExportedTypes()
            .Where(t => !t.IsNested || t.DeclaringType!.IsPublic)
            .Select(t => "T:" + t.FullName!.Replace('+', '.'))
            .Where(name => !documented.Contains(name))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Empty(missing);
    }
}
