namespace SemanticSearch.Indexing;

/// <summary>
/// What the index is asked. <see cref="Vector"/> is required for vector and hybrid modes. The index returns the hits
/// ranked <see cref="Skip"/> + 1 to <see cref="Skip"/> + <see cref="Top"/>, in a stable order (equal scores by chunk
/// id), of the chunks that pass <see cref="Filters"/> and that <see cref="Caller"/> may read.
/// </summary>
public sealed record IndexQuery(string Text, ReadOnlyMemory<float>? Vector, RetrievalMode Mode, int Top)
{
    public int Skip { get; init; }

    public SearchFilters Filters { get; init; } = SearchFilters.None;

    public Caller Caller { get; init; } = Caller.Anonymous;
}
