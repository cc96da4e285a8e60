using System.Runtime.CompilerServices;
using SemanticSearch.Chunking;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Sync;

/// <summary>Documents held in memory (an evaluation corpus, a test's documents); a document's version is the hash of its bytes.</summary>
public sealed class InMemoryDocumentSource : IDocumentSource
{
    private readonly IReadOnlyDictionary<string, (SourceDocument Document, byte[] Content)> _documents;

    public InMemoryDocumentSource(string description, IEnumerable<KeyValuePair<string, byte[]>> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        Description = description;
        _documents = documents.ToDictionary(
            d => d.Key,
            d => (new SourceDocument(d.Key, ContentHash.Of(d.Value)), d.Value),
            StringComparer.Ordinal);
    }

    public string Description { get; }

    public int Count => _documents.Count;

    public async IAsyncEnumerable<SourceDocument> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var id in _documents.Keys.Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return _documents[id].Document;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task<SourceContent?> OpenAsync(SourceDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        return Task.FromResult(_documents.TryGetValue(document.Id, out var found)
            ? new SourceContent(found.Document, new MemoryStream(found.Content, writable: false))
            : null);
    }

    public Task<SourceDocument?> FindAsync(string documentId, CancellationToken cancellationToken) =>
        Task.FromResult(_documents.TryGetValue(documentId, out var found) ? found.Document : null);
}
