using SemanticSearch.Embedded.Indexing;
using SemanticSearch.Indexing;
using static SemanticSearch.Tests.Indexing.EmbeddedIndexFixture;

namespace SemanticSearch.Tests.Indexing;

/// <summary>Filters and access trimming of the embedded index: inside retrieval, in every mode, never widened by their values.</summary>
public sealed class EmbeddedIndexFilterTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddDays(1);
    private static readonly DateTimeOffset T2 = T0.AddDays(2);

    private readonly TempDirectory _folder = new();

    public static TheoryData<RetrievalMode> Modes => [RetrievalMode.Keyword, RetrievalMode.Vector, RetrievalMode.Hybrid];

    /// <summary>Every chunk says "ocean", so an unfiltered search for it returns every document.</summary>
    private async Task<EmbeddedSearchIndex> CorpusAsync(EmbeddedIndexSettings? settings = null)
    {
        var index = await OpenAsync(_folder.File("index"), settings);
        await AddAsync(index, "notes/reef.md", "ocean reef survey", Metadata("notes/reef.md", ["biology", "field"], modifiedAt: T0));
        await AddAsync(index, "notes/deep/trench.pdf", "ocean trench depth", Metadata("notes/deep/trench.pdf", ["biology"], modifiedAt: T1));
        await AddAsync(index, "notesx/tide.md", "ocean tide table", Metadata("notesx/tide.md", ["field"], modifiedAt: T2));
        await AddAsync(index, "readme.txt", "ocean overview", Metadata("readme.txt"));
        await AddAsync(index, "team/plan.md", "ocean plan", Metadata("team/plan.md", ["field"], ["team-a"], T1));
        await AddAsync(index, "board/budget.md", "ocean budget", Metadata("board/budget.md", acl: ["team-b", "team-c"], modifiedAt: T1));
        return index;
    }

    private static SearchFilters Filters(
        IReadOnlyList<string>? tags = null, string? folder = null, string? type = null, DateTimeOffset? after = null, DateTimeOffset? before = null) =>
        new(tags ?? [], folder, type, after, before);

    private static Task<string[]> FindAsync(EmbeddedSearchIndex index, RetrievalMode mode, SearchFilters filters, Caller? caller = null) =>
        DocumentsAsync(index, Search("ocean", mode, top: 20, filters: filters, caller: caller));

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task TagsMustAllMatchWhateverTheirCase(RetrievalMode mode)
    {
        using var index = await CorpusAsync();

        Assert.Equal(["notes/deep/trench.pdf", "notes/reef.md"], await FindAsync(index, mode, Filters(["biology"])));
        Assert.Equal(["notes/reef.md"], await FindAsync(index, mode, Filters(["biology", "field"])));
        Assert.Equal(["notes/reef.md"], await FindAsync(index, mode, Filters(["Field", "BIOLOGY"])));
        Assert.Empty(await FindAsync(index, mode, Filters(["biology", "missing"])));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task FolderMatchesWholePathSegments(RetrievalMode mode)
    {
        using var index = await CorpusAsync();

        Assert.Equal(["notes/deep/trench.pdf", "notes/reef.md"], await FindAsync(index, mode, Filters(folder: "notes")));
        Assert.Equal(["notes/deep/trench.pdf", "notes/reef.md"], await FindAsync(index, mode, Filters(folder: "notes/")));
        Assert.Equal(["notes/deep/trench.pdf"], await FindAsync(index, mode, Filters(folder: "notes/deep")));
        Assert.Equal(["notesx/tide.md"], await FindAsync(index, mode, Filters(folder: "notesx")));
        Assert.Empty(await FindAsync(index, mode, Filters(folder: "note")));
        Assert.Empty(await FindAsync(index, mode, Filters(folder: "notes/reef.md")));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task TypeIsTheExtension(RetrievalMode mode)
    {
        using var index = await CorpusAsync();

        Assert.Equal(["notes/deep/trench.pdf"], await FindAsync(index, mode, Filters(type: "pdf")));
        Assert.Equal(["notes/deep/trench.pdf"], await FindAsync(index, mode, Filters(type: ".PDF")));
        Assert.Equal(["readme.txt"], await FindAsync(index, mode, Filters(type: "txt")));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task ModifiedAfterIsInclusiveBeforeExclusiveAndAnUndatedDocumentNeverMatches(RetrievalMode mode)
    {
        using var index = await CorpusAsync(); // readme.txt has no modification time

        Assert.Equal(["board/budget.md", "notes/deep/trench.pdf", "notesx/tide.md", "team/plan.md"], await FindAsync(index, mode, Filters(after: T1), Caller.InGroups(["team-a", "team-b"])));
        Assert.Equal(["notes/reef.md"], await FindAsync(index, mode, Filters(before: T1)));
        Assert.Equal(["notes/deep/trench.pdf", "notes/reef.md"], await FindAsync(index, mode, Filters(after: T0, before: T2)));
        Assert.Empty(await FindAsync(index, mode, Filters(after: T2.AddTicks(1))));
        Assert.Empty(await FindAsync(index, mode, Filters(after: T1, before: T1)));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task FiltersCombine(RetrievalMode mode)
    {
        using var index = await CorpusAsync();

        Assert.Equal(["notes/reef.md"], await FindAsync(index, mode, Filters(["field"], "notes", "md", T0, T1)));
        Assert.Equal(["team/plan.md"], await FindAsync(index, mode, Filters(["field"], "team", "md", T1, T2), Caller.InGroups(["team-a"])));
        Assert.Empty(await FindAsync(index, mode, Filters(["field"], "team", "md", T1, T2)));
        Assert.Empty(await FindAsync(index, mode, Filters(["biology"], "notes", "md", T1)));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task AccessIsTrimmedByTheCallersGroups(RetrievalMode mode)
    {
        using var index = await CorpusAsync();
        string[] everyone = ["notes/deep/trench.pdf", "notes/reef.md", "notesx/tide.md", "readme.txt"];

        Assert.Equal(everyone, await FindAsync(index, mode, SearchFilters.None));
        Assert.Equal(everyone, await FindAsync(index, mode, SearchFilters.None, Caller.Anonymous));
        var withTeamA = everyone.Append("team/plan.md").ToArray();
        var withBoard = everyone.Prepend("board/budget.md").ToArray();
        var withBoth = withBoard.Append("team/plan.md").ToArray();
        Assert.Equal(withTeamA, await FindAsync(index, mode, SearchFilters.None, Caller.InGroups(["team-a"])));
        Assert.Equal(withBoard, await FindAsync(index, mode, SearchFilters.None, Caller.InGroups(["team-c"])));
        Assert.Equal(withBoth, await FindAsync(index, mode, SearchFilters.None, Caller.InGroups(["team-c", "team-a", "other"])));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task HostileFilterValuesNeverWidenResults(RetrievalMode mode)
    {
        using var index = await CorpusAsync();
        string[] hostile = ["*", "?", "biology OR field", "biology\" OR \"x", "tag:biology", ":", "(", "\\", "biology*", "*:*", "", " "];

        foreach (var value in hostile)
        {
            Assert.Empty(await FindAsync(index, mode, Filters([value])));
            Assert.Empty(await FindAsync(index, mode, Filters(folder: value)));
            Assert.Empty(await FindAsync(index, mode, Filters(type: value)));
            Assert.DoesNotContain("team/plan.md", await FindAsync(index, mode, SearchFilters.None, Caller.InGroups([value, "team-a OR team-b"])));
        }
        Assert.Empty(await FindAsync(index, mode, Filters(folder: "notes/*")));
        Assert.Empty(await FindAsync(index, mode, Filters(["biology", "*"])));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task TopResultsComeBackWheneverThatManyMatchBecauseFiltersApplyBeforeFusion(RetrievalMode mode)
    {
        // Fifty chunks that match the query better than any tagged one, and a candidate depth of 10: a filter applied to
        // the fused top would leave nothing.
        using var index = await OpenAsync(_folder.File("deep"), new EmbeddedIndexSettings(CandidateDepth: 10));
        for (var i = 0; i < 50; i++)
        {
            await AddAsync(index, $"noise/{i:D2}.md", "coral reef ocean survey report", Metadata($"noise/{i:D2}.md"));
        }
        for (var i = 0; i < 7; i++)
        {
            await AddAsync(index, $"rare/{i}.md", $"ocean note number {i} about kelp", Metadata($"rare/{i}.md", ["rare"]));
        }

        var hits = await index.SearchAsync(Search("coral reef ocean survey report", mode, top: 5, filters: Filters(["rare"])), CancellationToken.None);
        Assert.Equal(5, hits.Count);
        Assert.All(hits, h => Assert.StartsWith("rare/", h.DocumentId, StringComparison.Ordinal));

        var secondPage = await index.SearchAsync(Search("coral reef ocean survey report", mode, top: 5, skip: 5, filters: Filters(["rare"])), CancellationToken.None);
        Assert.Equal(2, secondPage.Count);
    }

    public void Dispose() => _folder.Dispose();
}
