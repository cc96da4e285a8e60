using SemanticSearch.Indexing;

namespace SemanticSearch.Testing;

/// <summary>
/// An index in memory that keeps every chunk exactly as the ingestor handed it over — metadata, headings and page
/// included — so tests can see what a backend is asked to store. It searches nothing.
/// </summary>
public sealed class RecordingSearchIndex : ISearchIndex
{
    private readonly Dictionary<string, IReadOnlyList<IndexedChunk>> _documents = new(StringComparer.Ordinal);
    private long _generation;

    public string Name => "recording";

    /// <summary>How many times a document's chunks were replaced, by document id.</summary>
    public Dictionary<string, int> Replacements { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<IndexedChunk> Chunks(string documentId)
    {
        lock (_documents)
        {
            return _documents.TryGetValue(documentId, out var chunks) ? chunks : [];
        }
    }

    public Task InitializeAsync(VectorSpace encoder, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<long> GetGenerationAsync(CancellationToken cancellationToken) => Task.FromResult(Interlocked.Read(ref _generation));

    public Task<IndexChange> ReplaceDocumentAsync(string documentId, IReadOnlyList<IndexedChunk> chunks, CancellationToken cancellationToken)
    {
        lock (_documents)
        {
            var removed = _documents.TryGetValue(documentId, out var old) ? old.Count : 0;
            _documents[documentId] = [.. chunks];
            Replacements[documentId] = Replacements.GetValueOrDefault(documentId) + 1;
            return Task.FromResult(new IndexChange(chunks.Count, removed, Interlocked.Increment(ref _generation)));
        }
    }

    public Task<IndexChange> DeleteDocumentAsync(string documentId, CancellationToken cancellationToken)
    {
        lock (_documents)
        {
            var removed = _documents.Remove(documentId, out var old) ? old.Count : 0;
            return Task.FromResult(new IndexChange(0, removed, Interlocked.Increment(ref _generation)));
        }
    }

    public Task<int> CountChunksAsync(string documentId, CancellationToken cancellationToken) => Task.FromResult(Chunks(documentId).Count);

    public Task<IReadOnlyList<string>> ListDocumentIdsAsync(CancellationToken cancellationToken)
    {
        lock (_documents)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. _documents.Keys]);
        }
    }

    public Task<IReadOnlyList<SearchHit>> SearchAsync(IndexQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SearchHit>>([]);
}
