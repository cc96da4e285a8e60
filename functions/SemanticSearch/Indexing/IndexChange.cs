namespace SemanticSearch.Indexing;

/// <summary>What a replace or delete did: chunks written and removed, and the generation afterwards.</summary>
public sealed record IndexChange(int ChunksAdded, int ChunksRemoved, long Generation)
{
    public bool Changed => ChunksAdded > 0 || ChunksRemoved > 0;
}
