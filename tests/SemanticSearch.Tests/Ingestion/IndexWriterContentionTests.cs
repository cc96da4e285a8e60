using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Embedded.Indexing;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Tests.Ingestion;

/// <summary>
/// A sync while another process writes the same embedded index (an <c>ingest</c> beside a folder server): it stops with
/// the index's clear message instead of marking every document failed, and a later sync completes what it left pending.
/// </summary>
public sealed class IndexWriterContentionTests : IDisposable
{
    private readonly TempDirectory _root = new();

    private string Data => _root.File("data");

    [Fact]
    public async Task ASyncStopsWhileAnotherProcessWritesAndTheNextOneCompletesIt()
    {
        var docs = SemanticSearchHost.CopySamples(_root.File("docs"));
        var settings = new Dictionary<string, string?> { ["Data:Path"] = Data, ["Index:Embedded:WriterLockTimeout"] = "00:00:00.3" };
        var other = new EmbeddedSearchIndex(Path.Combine(Data, EmbeddedSearchIndex.FolderName));
        await other.InitializeAsync(new VectorSpace("hashing-test", 64), CancellationToken.None);
        await other.ReplaceDocumentAsync("elsewhere.md", [new IndexedChunk("e#0", "elsewhere.md", 0, "written by the other process", new float[64])], CancellationToken.None);

        await using (var services = await SemanticSearchHost.BuildAsync(settings, new HashingEmbeddingGenerator()))
        {
            var error = await Assert.ThrowsAsync<IndexLockedException>(() => services.SyncFolderAsync(docs));
            Assert.Contains("Another process is writing the index", error.Message, StringComparison.Ordinal);

            var statuses = (await services.GetRequiredService<IDocumentStatusStore>().ListAsync(100, null, CancellationToken.None)).Statuses;
            Assert.NotEmpty(statuses);
            Assert.All(statuses, s => Assert.Equal(DocumentState.Pending, s.State));
        }

        other.Dispose();
        await using (var services = await SemanticSearchHost.BuildAsync(settings, new HashingEmbeddingGenerator()))
        {
            var summary = await services.SyncFolderAsync(docs);
            Assert.Equal(0, summary.Count(IngestionOutcome.Failed));
            Assert.Equal(6, summary.Count(IngestionOutcome.Indexed));
            // What the other process wrote is not in this data folder's source: the sync removes it as an orphan.
            Assert.Equal(1, summary.Count(IngestionOutcome.Deleted));
            Assert.Equal(6, (await services.GetRequiredService<ISearchIndex>().ListDocumentIdsAsync(CancellationToken.None)).Count);
        }
    }

    public void Dispose() => _root.Dispose();
}
