using SemanticSearch.Ingestion;

namespace SemanticSearch.Indexing;

/// <summary>
/// A chunk as the index stores it: text for keyword search, vector for similarity search, and its citation — the
/// document's metadata, the chunk's heading path (outermost first) and its PDF page (1-based; null for other formats).
/// </summary>
public sealed record IndexedChunk(string ChunkId, string DocumentId, int Ordinal, string Content, ReadOnlyMemory<float> Vector)
{
    public DocumentMetadata Document { get; init; } = DocumentMetadata.Minimal(DocumentId);

    public IReadOnlyList<string> Headings { get; init; } = [];

    public int? Page { get; init; }
}
