using System.Text.Json;
using SemanticSearch.Local.Commands;
using SemanticSearch.Local.Tests.Support;

namespace SemanticSearch.Local.Tests.Commands;

/// <summary>
/// The <c>load</c> verb end to end, briefly: it starts <c>serve</c> over a folder, loads it with a few clients and
/// reports every class of request with no error. The figures themselves are not asserted — a test is no place for
/// timing; docs/reliability.md has the real run's.
/// </summary>
[Collection(CommandLine.Name)]
public sealed class LoadCommandTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    [Fact]
    public async Task AShortRunOverAFolderReportsEveryKindOfRequestAndNoError()
    {
        var docs = Directory.CreateDirectory(Path.Combine(_folder.Path, "docs")).FullName;
        await File.WriteAllTextAsync(Path.Combine(docs, "bees.txt"), "Honeybees find flowers by the position of the sun and a waggle dance.");
        await File.WriteAllTextAsync(Path.Combine(docs, "bread.txt"), "Sourdough rises because wild yeast ferments the flour.");
        var results = Path.Combine(_folder.Path, "load.json");

        var (exitCode, output) = await CommandLine.RunAsync(
            ["load", "--docs", docs, "--data", Path.Combine(_folder.Path, "data"), "--clients", "6", "--duration", "2", "--output", results]);

        Assert.True(exitCode == 0, output);
        Assert.Contains("errors: 0", output, StringComparison.Ordinal);
        var report = JsonDocument.Parse(await File.ReadAllTextAsync(results)).RootElement;
        Assert.Equal(0, report.GetProperty("errors").GetInt32());
        foreach (var kind in new[] { "new query", "cached query", "health" })
        {
            var figures = report.GetProperty("classes").GetProperty(kind);
            Assert.True(figures.GetProperty("ok").GetInt32() > 0, $"no {kind} answered");
            Assert.Equal(0, figures.GetProperty("other").GetInt32());
        }
    }

    [Theory]
    [InlineData(new[] { "load" }, "Give exactly one server")]
    [InlineData(new[] { "load", "--url", "http://127.0.0.1:1", "--docs", "." }, "Give exactly one server")]
    [InlineData(new[] { "load", "--url", "http://127.0.0.1:1", "--clients", "0" }, "--clients must be from 2 to 10000")]
    [InlineData(new[] { "load", "--url", "http://127.0.0.1:1", "--duration", "-5" }, "--duration must be from 1 to 86400")]
    [InlineData(new[] { "load", "--url", "http://127.0.0.1:1", "--clients", "many" }, "many")]
    [InlineData(new[] { "load", "--url", "not-a-url" }, "--url must be an absolute http(s) address")]
    [InlineData(new[] { "load", "--url", "http://127.0.0.1:1", "--data", "x" }, "--data goes with --docs")]
    public async Task BadArgumentsAreOneLineAndExitCode2(string[] arguments, string message)
    {
        using var error = new StringWriter();

        var exitCode = await CommandLineRunner.RunAsync(arguments, error);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFolderThatIsNotThereIsExitCode2()
    {
        var (exitCode, output) = await CommandLine.RunAsync(["load", "--docs", Path.Combine(_folder.Path, "nowhere"), "--duration", "1"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("No folder", output, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
