using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;
using SemanticSearch.Sync;

namespace SemanticSearch.Tests.Ingestion;

/// <summary>The ingestor makes a batch durable (one flush of the index) before it records any of it as indexed.</summary>
public sealed class IndexFlushTests : IDisposable
{
    private readonly TempDirectory _root = new();

    [Fact]
    public async Task ABatchIsFlushedOnceBeforeItsDocumentsAreRecordedAsIndexed()
    {
        var docs = SemanticSearchHost.CopySamples(_root.File("docs"));
        await using var services = await SemanticSearchHost.BuildAsync(new Dictionary<string, string?> { ["Data:Path"] = _root.File("data") }, new HashingEmbeddingGenerator());
        var statuses = services.GetRequiredService<IDocumentStatusStore>();
        var index = new FlushSpy(services.GetRequiredService<ISearchIndex>(), statuses);
        var ingestor = ActivatorUtilities.CreateInstance<DocumentIngestor>(services, index);
        var sync = ActivatorUtilities.CreateInstance<DocumentSync>(services, ingestor, index);

        var summary = await sync.SyncAsync(new FolderDocumentSource(docs), null, CancellationToken.None);

        Assert.Equal(6, summary.Count(IngestionOutcome.Indexed));
        Assert.Equal(1, index.Flushes);
        Assert.Equal(6, index.ReplacedBeforeFlush);
        Assert.Equal(0, index.IndexedAtFlush);
        Assert.All((await statuses.ListAsync(100, null, CancellationToken.None)).Statuses, s => Assert.Equal(DocumentState.Indexed, s.State));
    }

    public void Dispose() => _root.Dispose();

    /// <summary>Counts flushes, and how many replaced documents the status store already called indexed when each came.</summary>
    private sealed class FlushSpy(ISearchIndex inner, IDocumentStatusStore statuses) : ISearchIndex
    {
        private readonly List<string> _replaced = [];

        public int Flushes { get; private set; }

        public int ReplacedBeforeFlush { get; private set; }

        public int IndexedAtFlush { get; private set; }

        public string Name => inner.Name;

        public Task InitializeAsync(VectorSpace encoder, CancellationToken cancellationToken) => inner.InitializeAsync(encoder, cancellationToken);

        public Task<long> GetGenerationAsync(CancellationToken cancellationToken) => inner.GetGenerationAsync(cancellationToken);

        public Task<IndexChange> ReplaceDocumentAsync(string documentId, IReadOnlyList<IndexedChunk> chunks, CancellationToken cancellationToken)
        {
            _replaced.Add(documentId);
            return inner.ReplaceDocumentAsync(documentId, chunks, cancellationToken);
        }

        public Task<IndexChange> DeleteDocumentAsync(string documentId, CancellationToken cancellationToken) => inner.DeleteDocumentAsync(documentId, cancellationToken);

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            ReplacedBeforeFlush += _replaced.Count;
            foreach (var id in _replaced)
            {
                IndexedAtFlush += (await statuses.GetAsync(id, cancellationToken))?.State == DocumentState.Indexed ? 1 : 0;
            }
            _replaced.Clear();
            await inner.FlushAsync(cancellationToken);
        }

        public Task<int> CountChunksAsync(string documentId, CancellationToken cancellationToken) => inner.CountChunksAsync(documentId, cancellationToken);

        public Task<IReadOnlyList<string>> ListDocumentIdsAsync(CancellationToken cancellationToken) => inner.ListDocumentIdsAsync(cancellationToken);

        public Task<IReadOnlyList<SearchHit>> SearchAsync(IndexQuery query, CancellationToken cancellationToken) => inner.SearchAsync(query, cancellationToken);
    }
}
