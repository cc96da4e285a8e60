using SemanticSearch.Embedded.Indexing;
using SemanticSearch.Indexing;
using static SemanticSearch.Tests.Indexing.EmbeddedIndexFixture;

namespace SemanticSearch.Tests.Indexing;

/// <summary>
/// Two index instances on one folder stand for two processes (a server reading, the CLI writing): they share nothing
/// but the files and the OS lock, exactly as two processes do.
/// </summary>
public sealed class EmbeddedIndexProcessTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    private string Folder => _folder.File("index");

    [Fact]
    public async Task AReaderSeesTheWritersCommitsAndOnlyThose()
    {
        using var writer = await OpenAsync(Folder);
        using var reader = await OpenAsync(Folder);

        await AddAsync(writer, "a.md", "basalt column");
        Assert.Single(await writer.SearchAsync(Search("basalt", RetrievalMode.Keyword), _ct));
        Assert.Empty(await reader.SearchAsync(Search("basalt", RetrievalMode.Keyword), _ct));

        await writer.FlushAsync(_ct);
        Assert.Single(await reader.SearchAsync(Search("basalt", RetrievalMode.Hybrid), _ct));
        Assert.Equal(await writer.GetGenerationAsync(_ct), await reader.GetGenerationAsync(_ct));
        Assert.Equal(["a.md"], await reader.ListDocumentIdsAsync(_ct));

        await writer.DeleteDocumentAsync("a.md", _ct);
        await writer.FlushAsync(_ct);
        Assert.Empty(await reader.SearchAsync(Search("basalt", RetrievalMode.Vector), _ct));
        Assert.Equal(0, await reader.CountChunksAsync("a.md", _ct));
    }

    [Fact]
    public async Task ReadersInAnotherProcessNeverSeeHalfADocument()
    {
        using var writer = await OpenAsync(Folder);
        using var reader = await OpenAsync(Folder);
        var versionA = Enumerable.Range(0, 20).Select(i => Chunk("doc", i, $"marker alpha part {i}")).ToList();
        var versionB = Enumerable.Range(0, 25).Select(i => Chunk("doc", i, $"marker beta part {i}")).ToList();
        await writer.ReplaceDocumentAsync("doc", versionA, _ct);
        await writer.FlushAsync(_ct);

        using var stop = new CancellationTokenSource();
        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < 12; i++)
            {
                await writer.ReplaceDocumentAsync("doc", i % 2 == 0 ? versionB : versionA, _ct);
                await writer.FlushAsync(_ct);
            }
            await stop.CancelAsync();
        }, _ct);

        var observations = 0;
        while (!stop.IsCancellationRequested)
        {
            var hits = await reader.SearchAsync(Search("marker", RetrievalMode.Keyword, top: 50), _ct);
            var alpha = hits.Count(h => h.Content.Contains("alpha", StringComparison.Ordinal));
            Assert.True((alpha, hits.Count) is (20, 20) or (0, 25), $"{alpha} alpha chunks of {hits.Count}");
            observations++;
        }
        await writing;
        Assert.True(observations > 0);
    }

    [Fact]
    public async Task ASecondWriterFailsClearlyAfterItsWait()
    {
        using var first = await OpenAsync(Folder);
        await AddAsync(first, "a.md", "granite");
        using var second = await OpenAsync(Folder, new EmbeddedIndexSettings(WriterLockTimeout: TimeSpan.FromMilliseconds(300)));

        var error = await Assert.ThrowsAsync<IndexLockedException>(() => AddAsync(second, "b.md", "schist"));

        Assert.Contains("Another process is writing the index", error.Message, StringComparison.Ordinal);
        Assert.Contains("waited 0.3 s", error.Message, StringComparison.Ordinal);
        Assert.Single(await first.SearchAsync(Search("granite", RetrievalMode.Keyword), _ct));
    }

    [Fact]
    public async Task ASecondWriterWaitsForTheFirstToFinish()
    {
        var first = await OpenAsync(Folder);
        await AddAsync(first, "a.md", "granite");
        using var second = await OpenAsync(Folder, new EmbeddedIndexSettings(WriterLockTimeout: TimeSpan.FromSeconds(20)));

        var waiting = AddAsync(second, "b.md", "schist");
        await Task.Delay(300, _ct);
        Assert.False(waiting.IsCompleted);
        var before = await first.GetGenerationAsync(_ct);
        first.Dispose(); // commits and lets go

        var change = await waiting;
        Assert.Equal(before + 1, change.Generation);
        Assert.Equal(["a.md", "b.md"], await second.ListDocumentIdsAsync(_ct));
    }

    [Fact]
    public async Task TheGenerationPersistsAcrossReopening()
    {
        long generation;
        using (var index = await OpenAsync(Folder))
        {
            await AddAsync(index, "a.md", "one");
            await AddAsync(index, "b.md", "two");
            await AddAsync(index, "a.md", "three");
            generation = await index.GetGenerationAsync(_ct);
            Assert.Equal(3, generation);
        }

        using var reopened = await OpenAsync(Folder);
        Assert.Equal(generation, await reopened.GetGenerationAsync(_ct));
        var change = await AddAsync(reopened, "c.md", "four");
        Assert.Equal(generation + 1, change.Generation);
        Assert.Equal(generation + 1, await reopened.GetGenerationAsync(_ct));
    }

    [Fact]
    public async Task AnEmptyIndexAdoptsANewVectorSpace()
    {
        using (var index = await OpenAsync(Folder))
        {
            await AddAsync(index, "a.md", "text");
            await index.DeleteDocumentAsync("a.md", _ct);
        }
        var other = new VectorSpace("other-model", 32);
        using (var index = new EmbeddedSearchIndex(Folder))
        {
            await index.InitializeAsync(other, _ct);
            await index.ReplaceDocumentAsync("b.md", [new IndexedChunk("b#0", "b.md", 0, "text", new float[32])], _ct);
        }

        using var again = new EmbeddedSearchIndex(Folder);
        var error = await Assert.ThrowsAsync<VectorSpaceMismatchException>(() => again.InitializeAsync(Encoder, _ct));
        Assert.Equal(other, error.Indexed);
    }

    [Fact]
    public async Task AnIndexWithoutAFolderYetAnswersEmpty()
    {
        using var index = await OpenAsync(Folder);

        Assert.Empty(await index.SearchAsync(Search("anything", RetrievalMode.Hybrid), _ct));
        Assert.Equal(0, await index.GetGenerationAsync(_ct));
        Assert.Empty(await index.ListDocumentIdsAsync(_ct));
        await index.FlushAsync(_ct);
    }

    public void Dispose() => _folder.Dispose();
}
