namespace SemanticSearch.Indexing;

/// <summary>The model that produced an index's vectors. Queries must be embedded by the same one.</summary>
public sealed record EncoderIdentity(string ModelId, int Dimensions)
{
    public override string ToString() => $"{ModelId} ({Dimensions} dimensions)";
}
