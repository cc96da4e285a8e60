using SemanticSearch.Indexing;
using SemanticSearch.Embedded.Indexing;

namespace SemanticSearch.Tests.Indexing;

public sealed class EmbeddedSearchIndexTests : IDisposable
{
    private const int Dimensions = 64;
    private static readonly VectorSpace Encoder = new("hashing-test", Dimensions);
    private readonly TempDirectory _folder = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    private async Task<EmbeddedSearchIndex> OpenAsync()
    {
        var index = new EmbeddedSearchIndex(_folder.File("index"));
        await index.InitializeAsync(Encoder, _ct);
        return index;
    }

    private static IndexedChunk Chunk(string documentId, int ordinal, string text) =>
        new($"{documentId}-{text.GetHashCode(StringComparison.Ordinal):x8}", documentId, ordinal, text, HashingEmbeddingGenerator.Embed(text, Dimensions));

    private static IndexQuery Query(string text, RetrievalMode mode, int top = 5) =>
        new(text, HashingEmbeddingGenerator.Embed(text, Dimensions), mode, top);

    [Fact]
    public async Task FindsChunksByKeywordWithStemming()
    {
        using var index = await OpenAsync();
        await index.ReplaceDocumentAsync("bees.md", [Chunk("bees.md", 0, "Honeybees navigate by the sun and dance to share directions.")], _ct);
        await index.ReplaceDocumentAsync("bread.md", [Chunk("bread.md", 0, "Sourdough bread rises slowly with wild yeast.")], _ct);

        var hits = await index.SearchAsync(Query("navigating dances", RetrievalMode.Keyword), _ct);

        var hit = Assert.Single(hits);
        Assert.Equal("bees.md", hit.DocumentId);
        Assert.True(hit.Score > 0);
    }

    [Fact]
    public async Task VectorSearchRanksByCosine()
    {
        using var index = await OpenAsync();
        await index.ReplaceDocumentAsync("a", [Chunk("a", 0, "alpha beta gamma"), Chunk("a", 1, "delta epsilon")], _ct);
        await index.ReplaceDocumentAsync("b", [Chunk("b", 0, "alpha beta zeta")], _ct);

        var hits = await index.SearchAsync(Query("alpha beta gamma", RetrievalMode.Vector, top: 3), _ct);

        Assert.Equal(["alpha beta gamma", "alpha beta zeta", "delta epsilon"], hits.Select(h => h.Content));
        Assert.Equal(1.0, hits[0].Score, 5);
        Assert.True(hits[0].Score > hits[1].Score && hits[1].Score > hits[2].Score);
    }

    [Fact]
    public async Task HybridFusesBothRankingsWithRrf()
    {
        using var index = await OpenAsync();
        await index.ReplaceDocumentAsync("a", [Chunk("a", 0, "quantum entanglement experiment"), Chunk("a", 1, "unrelated words entirely")], _ct);

        var hits = await index.SearchAsync(Query("quantum entanglement experiment", RetrievalMode.Hybrid), _ct);

        Assert.Equal("quantum entanglement experiment", hits[0].Content);
        // First in both lists: 1.001/11 + 1/11 with the embedded index's defaults, k = 10 and keyword weight 1.001 (equal
        // weights, exact ties settled towards the keyword list; docs/benchmarks.md).
        Assert.Equal(2.001 / 11, hits[0].Score, 9);
    }

    [Fact]
    public async Task HybridUsesTheConfiguredRrfConstantAndWeights()
    {
        using var index = new EmbeddedSearchIndex(_folder.File("tuned"), new EmbeddedIndexSettings(CandidateDepth: 10, RrfK: 20, KeywordWeight: 1.5, VectorWeight: 0.5));
        await index.InitializeAsync(Encoder, _ct);
        await index.ReplaceDocumentAsync("a", [Chunk("a", 0, "quantum entanglement experiment"), Chunk("a", 1, "unrelated words entirely")], _ct);

        var hits = await index.SearchAsync(Query("quantum entanglement experiment", RetrievalMode.Hybrid), _ct);

        // First in both lists: 1.5/21 + 0.5/21.
        Assert.Equal(2.0 / 21, hits[0].Score, 9);
    }

    [Fact]
    public async Task ReplacingADocumentKeepsUnchangedChunksAndBumpsTheGeneration()
    {
        using var index = await OpenAsync();
        var first = await index.ReplaceDocumentAsync("doc", [Chunk("doc", 0, "one"), Chunk("doc", 1, "two")], _ct);
        var same = await index.ReplaceDocumentAsync("doc", [Chunk("doc", 0, "one"), Chunk("doc", 1, "two")], _ct);
        var edited = await index.ReplaceDocumentAsync("doc", [Chunk("doc", 0, "one"), Chunk("doc", 1, "three")], _ct);

        Assert.Equal((2, 0), (first.ChunksAdded, first.ChunksRemoved));
        Assert.False(same.Changed);
        Assert.Equal(first.Generation, same.Generation);
        Assert.Equal((1, 1), (edited.ChunksAdded, edited.ChunksRemoved));
        Assert.Equal(first.Generation + 1, edited.Generation);
        Assert.Equal(edited.Generation, await index.GetGenerationAsync(_ct));
        Assert.Empty(await index.SearchAsync(Query("two", RetrievalMode.Keyword), _ct));
        Assert.Single(await index.SearchAsync(Query("three", RetrievalMode.Keyword), _ct));
    }

    [Fact]
    public async Task DeletingADocumentRemovesAllItsChunks()
    {
        using var index = await OpenAsync();
        await index.ReplaceDocumentAsync("gone", [Chunk("gone", 0, "volcano ash"), Chunk("gone", 1, "volcano lava")], _ct);
        await index.ReplaceDocumentAsync("kept", [Chunk("kept", 0, "volcano island")], _ct);

        var change = await index.DeleteDocumentAsync("gone", _ct);

        Assert.Equal(2, change.ChunksRemoved);
        Assert.Equal(["kept"], await index.ListDocumentIdsAsync(_ct));
        Assert.All(await index.SearchAsync(Query("volcano", RetrievalMode.Hybrid, 10), _ct), h => Assert.Equal("kept", h.DocumentId));
        Assert.Equal(0, await index.CountChunksAsync("gone", _ct));
    }

    [Fact]
    public async Task PersistsAcrossReopening()
    {
        using (var index = await OpenAsync())
        {
            await index.ReplaceDocumentAsync("doc", [Chunk("doc", 0, "coral reef bleaching")], _ct);
        }
        using var reopened = await OpenAsync();

        var hits = await reopened.SearchAsync(Query("coral reef bleaching", RetrievalMode.Vector), _ct);
        Assert.Equal("doc", Assert.Single(hits).DocumentId);
        Assert.Equal(1, reopened.CountChunks());
    }

    [Fact]
    public async Task RefusesAnEncoderOtherThanTheOneThatBuiltIt()
    {
        using (var index = await OpenAsync())
        {
            await index.ReplaceDocumentAsync("doc", [Chunk("doc", 0, "text")], _ct);
        }
        using var other = new EmbeddedSearchIndex(_folder.File("index"));

        var error = await Assert.ThrowsAsync<VectorSpaceMismatchException>(() => other.InitializeAsync(new VectorSpace("text-embedding-3-small", 1536), _ct));
        Assert.Contains("hashing-test (64 dimensions)", error.Message, StringComparison.Ordinal);
        Assert.Contains("text-embedding-3-small (1536 dimensions)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserInputIsNeverReadAsQuerySyntax()
    {
        using var index = await OpenAsync();
        await index.ReplaceDocumentAsync("doc", [Chunk("doc", 0, "NEAR AND OR NOT quotes")], _ct);

        foreach (var hostile in new[] { "\"unbalanced", "NEAR(a b)", "col:value", "a AND", "*", "^start", "-minus", "(((" })
        {
            await index.SearchAsync(Query(hostile, RetrievalMode.Keyword), _ct);
        }
        Assert.Single(await index.SearchAsync(Query("\"quotes", RetrievalMode.Keyword), _ct));
    }

    [Fact]
    public async Task ReadersNeverSeeHalfADocument()
    {
        using var index = await OpenAsync();
        var versionA = Enumerable.Range(0, 40).Select(i => Chunk("doc", i, $"marker version alpha part {i}")).ToList();
        var versionB = Enumerable.Range(0, 40).Select(i => Chunk("doc", i, $"marker version beta part {i}")).ToList();
        await index.ReplaceDocumentAsync("doc", versionA, _ct);

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 30; i++)
            {
                await index.ReplaceDocumentAsync("doc", i % 2 == 0 ? versionB : versionA, _ct);
            }
            await stop.CancelAsync();
        }, _ct);

        var observations = 0;
        while (!stop.IsCancellationRequested)
        {
            var hits = await index.SearchAsync(Query("marker", RetrievalMode.Keyword, top: 50), _ct);
            Assert.Equal(40, hits.Count);
            Assert.Single(hits.Select(h => h.Content.Contains("alpha", StringComparison.Ordinal)).Distinct());
            observations++;
        }
        await writer;
        Assert.True(observations > 0);
    }

    [Fact]
    public async Task AnotherProcessChangesAreSeen()
    {
        using var reader = await OpenAsync();
        using var writer = await OpenAsync();

        await writer.ReplaceDocumentAsync("doc", [Chunk("doc", 0, "seismic waves")], _ct);
        // Another process sees what is committed: the ingestor flushes before it records a batch as indexed.
        await writer.FlushAsync(_ct);

        var hits = await reader.SearchAsync(Query("seismic waves", RetrievalMode.Vector), _ct);
        Assert.Equal("doc", Assert.Single(hits).DocumentId);
    }

    public void Dispose() => _folder.Dispose();
}
