using System.Text.Json;

using SemanticSearch.Local.Tests.Support;

namespace SemanticSearch.Local.Tests.Commands;

/// <summary><c>search --json</c> prints the HTTP API's JSON, citations included, and takes the API's filters.</summary>
[Collection(CommandLine.Name)]
public sealed class SearchCommandTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    [Fact]
    public async Task JsonOutputCarriesCitationsAndHighlightsAndTheFiltersNarrowIt()
    {
        var docs = Directory.CreateDirectory(Path.Combine(_folder.Path, "docs")).FullName;
        Directory.CreateDirectory(Path.Combine(docs, "garden"));
        await File.WriteAllTextAsync(Path.Combine(docs, "garden", "roses.md"), "---\ntitle: Pruning roses\ntags: [garden]\n---\n# Pruning roses\n\n## When to prune\n\nPrune roses in late winter, just before the buds swell.\n");
        await File.WriteAllTextAsync(Path.Combine(docs, "apples.txt"), "Prune apple trees in winter while they are dormant.\n");
        var data = Path.Combine(_folder.Path, "data");
        Assert.Equal(0, (await CommandLine.RunAsync(["ingest", docs, "--data", data])).ExitCode);

        var (exitCode, output) = await CommandLine.RunAsync(["search", "when to prune in winter", "--data", data, "--json", "--mode", "keyword"]);
        var all = Parse(output);
        var (taggedExit, taggedOutput) = await CommandLine.RunAsync(["search", "when to prune in winter", "--data", data, "--json", "--mode", "keyword", "--tag", "garden", "--folder", "garden", "--type", "md"]);
        var tagged = Parse(taggedOutput);

        Assert.Equal(0, exitCode);
        Assert.Equal(["apples.txt", "garden/roses.md"], all.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("documentId").GetString()).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(0, taggedExit);
        var hits = tagged.GetProperty("results").EnumerateArray().ToList();
        Assert.All(hits, h => Assert.Equal("garden/roses.md", h.GetProperty("documentId").GetString()));
        var hit = Assert.Single(hits, h => h.GetProperty("content").GetString()!.Contains("late winter", StringComparison.Ordinal));
        Assert.Equal("Pruning roses", hit.GetProperty("title").GetString());
        Assert.Equal("garden/roses.md", hit.GetProperty("source").GetString());
        Assert.Equal(["Pruning roses", "When to prune"], hit.GetProperty("headings").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal(["garden"], hit.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains("<em>prune</em>", hit.GetProperty("highlights")[0].GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<em>", taggedOutput, StringComparison.Ordinal); // written as the HTTP API writes it, not as \u003C
    }

    [Theory]
    [InlineData("--folder", "../etc", "'folder' must be")]
    [InlineData("--skip", "2000", "'skip'")]
    [InlineData("--modified-after", "yesterday", "'modifiedAfter' must be")]
    public async Task ABadFilterIsOneLineAndExitCode2(string option, string value, string message)
    {
        var (exitCode, output) = await CommandLine.RunAsync(["search", "bees", "--data", Path.Combine(_folder.Path, "data"), option, value]);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();

    private static JsonElement Parse(string output) => JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]).RootElement.Clone();
}
