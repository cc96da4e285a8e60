namespace SemanticSearch.Indexing;

/// <summary>A chunk as the index stores it: text for keyword search, vector for similarity search.</summary>
public sealed record IndexedChunk(string ChunkId, string DocumentId, int Ordinal, string Content, ReadOnlyMemory<float> Vector);
