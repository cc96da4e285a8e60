using SemanticSearch.Embedded.Indexing;
using SemanticSearch.Indexing;
using static SemanticSearch.Tests.Indexing.EmbeddedIndexFixture;

namespace SemanticSearch.Tests.Indexing;

/// <summary>What a hit carries (citation, highlights) and in what order hits come (paging, ties), in every mode.</summary>
public sealed class EmbeddedIndexResultTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    public static TheoryData<RetrievalMode> Modes => [RetrievalMode.Keyword, RetrievalMode.Vector, RetrievalMode.Hybrid];

    [Fact]
    public async Task AHitIsACitation()
    {
        using var index = await OpenAsync(_folder.File("index"));
        var metadata = Metadata("guides/setup.pdf", ["ops"], ["team-a"], new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)), "Setting up") with
        {
            Url = "https://example.org/guides/setup.pdf",
        };
        await index.ReplaceDocumentAsync("guides/setup.pdf", [Chunk("guides/setup.pdf", 0, "install the volcano sensor", metadata) with
        {
            Headings = ["Setup", "Sensors"],
            Page = 3,
        }], _ct);

        var hit = Assert.Single(await index.SearchAsync(Search("volcano sensor", RetrievalMode.Hybrid, caller: Caller.InGroups(["team-a"])), _ct));

        Assert.Equal(metadata, hit.Document);
        Assert.Equal(["Setup", "Sensors"], hit.Headings);
        Assert.Equal(3, hit.Page);
        Assert.Equal(["ops"], hit.Document.Tags);
        Assert.Equal(["team-a"], hit.Document.Acl);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task PagesConcatenateToTheUnpagedListAndTiesGoByChunkId(RetrievalMode mode)
    {
        using var index = await OpenAsync(_folder.File("index"));
        // Twelve identical chunks tie in every ranking; eight others rank apart.
        foreach (var i in new[] { 7, 3, 11, 0, 9, 5, 1, 10, 2, 8, 6, 4 })
        {
            await AddAsync(index, $"dup/{i:D2}", "harbour seal colony census");
        }
        for (var i = 0; i < 8; i++)
        {
            await AddAsync(index, $"other/{i}", $"harbour {string.Join(' ', Enumerable.Repeat("seal", i + 1))} note {i}");
        }

        var unpaged = await index.SearchAsync(Search("harbour seal colony census", mode, top: 20), _ct);
        var pages = new List<SearchHit>();
        for (var skip = 0; skip < 20; skip += 6)
        {
            pages.AddRange(await index.SearchAsync(Search("harbour seal colony census", mode, top: 6, skip: skip), _ct));
        }

        Assert.Equal(20, unpaged.Count);
        Assert.Equal(unpaged.Select(h => h.ChunkId), pages.Select(h => h.ChunkId));
        var tied = unpaged.Where(h => h.DocumentId.StartsWith("dup/", StringComparison.Ordinal)).Select(h => h.ChunkId).ToList();
        Assert.Equal(12, tied.Count);
        Assert.Equal(tied.Order(StringComparer.Ordinal), tied);
        Assert.Equal(unpaged.Select(h => h.ChunkId), (await index.SearchAsync(Search("harbour seal colony census", mode, top: 20), _ct)).Select(h => h.ChunkId));
        Assert.Empty(await index.SearchAsync(Search("harbour seal colony census", mode, top: 5, skip: 20), _ct));
    }

    [Fact]
    public async Task HighlightsMarkWhatTheIndexMatchedStemsIncluded()
    {
        using var index = await OpenAsync(_folder.File("index"));
        await AddAsync(index, "run.md", "She runs daily. The run was long. Runners rest after running.");

        var hit = Assert.Single(await index.SearchAsync(Search("running", RetrievalMode.Keyword), _ct));

        var fragment = Assert.Single(hit.Highlights);
        Assert.Equal("She <em>runs</em> daily. The <em>run</em> was long. Runners rest after <em>running</em>.", fragment);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task HighlightsEscapeEverythingButTheirMarks(RetrievalMode mode)
    {
        using var index = await OpenAsync(_folder.File("index"));
        const string Hostile = "<script>alert(1)</script> reef & <img src=x onerror=alert(1)> &amp; \"quoted\" 'single' reef";
        await AddAsync(index, "hostile.html", Hostile);

        var hit = Assert.Single(await index.SearchAsync(Search("reef alert", mode), _ct));

        var fragment = Assert.Single(hit.Highlights);
        Assert.Equal(
            "&lt;script&gt;<em>alert</em>(1)&lt;/script&gt; <em>reef</em> &amp; &lt;img src=x onerror=<em>alert</em>(1)&gt; &amp;amp; &quot;quoted&quot; &#39;single&#39; <em>reef</em>",
            fragment);
        var unmarked = fragment.Replace("<em>", string.Empty, StringComparison.Ordinal).Replace("</em>", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(unmarked, c => c is '<' or '>' or '"' or '\'');
    }

    [Fact]
    public async Task HighlightsAreAtMostThreeShortFragmentsAndAVectorHitWithoutTheWordsGetsNone()
    {
        using var index = await OpenAsync(_folder.File("index"));
        var filler = string.Join(' ', Enumerable.Repeat("plain words between the matches", 12));
        await AddAsync(index, "long.md", string.Join(' ', Enumerable.Range(0, 6).Select(i => $"glacier {filler}")));
        await AddAsync(index, "other.md", "nothing in common here");

        var hits = await index.SearchAsync(Search("glacier", RetrievalMode.Vector, top: 2), _ct);

        var glacier = hits.Single(h => h.DocumentId == "long.md");
        Assert.InRange(glacier.Highlights.Count, 1, 3);
        Assert.All(glacier.Highlights, f => Assert.InRange(f.Length, 20, 160 + 40));
        Assert.All(glacier.Highlights, f => Assert.Contains("<em>glacier</em>", f, StringComparison.Ordinal));
        Assert.Empty(hits.Single(h => h.DocumentId == "other.md").Highlights);
    }

    [Fact]
    public async Task AKeptChunkTakesTheDocumentsNewMetadata()
    {
        using var index = await OpenAsync(_folder.File("index"));
        var first = await index.ReplaceDocumentAsync("doc.md", [Chunk("doc.md", 0, "lava flow", Metadata("doc.md", ["draft"], title: "Old"))], _ct);

        var retagged = await index.ReplaceDocumentAsync("doc.md", [Chunk("doc.md", 0, "lava flow", Metadata("doc.md", ["final"], ["team-a"], title: "New")) with
        {
            Headings = ["Volcanoes"],
            Page = 2,
        }], _ct);

        Assert.Equal((0, 0), (retagged.ChunksAdded, retagged.ChunksRemoved));
        Assert.Equal(first.Generation + 1, retagged.Generation);
        var team = Caller.InGroups(["team-a"]);
        Assert.Empty(await index.SearchAsync(Search("lava", RetrievalMode.Keyword, caller: team, filters: new(["draft"])), _ct));
        Assert.Empty(await index.SearchAsync(Search("lava", RetrievalMode.Keyword), _ct));
        var hit = Assert.Single(await index.SearchAsync(Search("lava", RetrievalMode.Hybrid, caller: team, filters: new(["final"])), _ct));
        Assert.Equal("doc.md#0", hit.ChunkId);
        Assert.Equal("New", hit.Document.Title);
        Assert.Equal(["Volcanoes"], hit.Headings);
        Assert.Equal(2, hit.Page);
        Assert.Equal(1, await index.CountChunksAsync("doc.md", _ct));
    }

    public void Dispose() => _folder.Dispose();
}
