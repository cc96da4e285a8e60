using SemanticSearch.Indexing;

namespace SemanticSearch.Ingestion;

/// <summary>One document's chunks with their vectors, and how many of those the encoder computed or the cache gave back.</summary>
internal sealed record EmbeddedChunks(IReadOnlyList<IndexedChunk> Chunks, int Computed, int Reused);
