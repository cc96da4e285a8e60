namespace SemanticSearch.Indexing;

/// <summary>What the index is asked. <see cref="Vector"/> is required for vector and hybrid modes.</summary>
public sealed record IndexQuery(string Text, ReadOnlyMemory<float>? Vector, RetrievalMode Mode, int Top);
