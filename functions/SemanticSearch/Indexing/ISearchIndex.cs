using SemanticSearch.Sync;

namespace SemanticSearch.Indexing;

/// <summary>
/// Where chunks are stored and searched: the embedded Lucene.NET index or Azure AI Search. Implementations make a
/// document's replacement atomic for readers and bump <see cref="GetGenerationAsync"/> on every change. A change is
/// durable once <see cref="FlushAsync"/> has returned (a backend may make it durable sooner).
/// </summary>
public interface ISearchIndex
{
    /// <summary>Short name for health output and logs ("embedded", "azure-ai-search").</summary>
    string Name { get; }

    /// <summary>
    /// Creates the index if needed and records the encoder, or checks that the encoder matches the recorded one
    /// (throws <see cref="VectorSpaceMismatchException"/>). Called once before any other member.
    /// </summary>
    Task InitializeAsync(VectorSpace encoder, CancellationToken cancellationToken);

    /// <summary>A number that increases whenever the searchable content changes.</summary>
    Task<long> GetGenerationAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Makes <paramref name="chunks"/> the document's whole content: adds new chunks, removes ones not listed, and rewrites
    /// kept ones whose metadata changed. Throws <see cref="IndexLockedException"/> when another process is writing an
    /// index that takes one writer at a time.
    /// </summary>
    Task<IndexChange> ReplaceDocumentAsync(string documentId, IReadOnlyList<IndexedChunk> chunks, CancellationToken cancellationToken);

    /// <summary>Removes every chunk of the document.</summary>
    Task<IndexChange> DeleteDocumentAsync(string documentId, CancellationToken cancellationToken);

    /// <summary>
    /// Makes every change made so far durable — and visible to other processes reading the same index. The ingestor calls
    /// it before it records a batch of documents as indexed, so a crash can only lose changes whose documents are still
    /// <c>pending</c>, and the next sync redoes them. The embedded index commits here (one fsync a batch instead of one a
    /// document); a backend whose writes are durable when they return, as Azure AI Search's, has nothing to do.
    /// </summary>
    Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>How many chunks of the document the index holds (0 when it holds none).</summary>
    Task<int> CountChunksAsync(string documentId, CancellationToken cancellationToken);

    /// <summary>
    /// Ids of every document with at least one chunk (for reconciliation with the blob container): all of them, however
    /// many; an implementation pages rather than cap the listing, since a reconcile takes a missing id for a lost document.
    /// </summary>
    Task<IReadOnlyList<string>> ListDocumentIdsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Ids of the documents with at least one chunk whose id lies in <paramref name="range"/> (one page of a fanned-out
    /// reconcile). The default filters <see cref="ListDocumentIdsAsync(CancellationToken)"/>; an index that can ask for a
    /// range does so.
    /// </summary>
    async Task<IReadOnlyList<string>> ListDocumentIdsAsync(DocumentIdRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        return [.. (await ListDocumentIdsAsync(cancellationToken).ConfigureAwait(false)).Where(range.Contains)];
    }

    Task<IReadOnlyList<SearchHit>> SearchAsync(IndexQuery query, CancellationToken cancellationToken);
}
