using Microsoft.Extensions.AI;

namespace SemanticSearch.Indexing;

/// <summary>
/// The model that produced an index's vectors and their size. Vectors of two spaces cannot be compared, so an index
/// records its space and queries must be embedded in the same one.
/// </summary>
public sealed record VectorSpace(string ModelId, int Dimensions)
{
    /// <summary>The space an embedding generator embeds into, from the metadata it describes itself with.</summary>
    public static VectorSpace Of(EmbeddingGeneratorMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return new(
            metadata.DefaultModelId ?? throw new InvalidOperationException("The embedding generator reports no model id."),
            metadata.DefaultModelDimensions ?? throw new InvalidOperationException("The embedding generator reports no dimensions."));
    }

    public override string ToString() => $"{ModelId} ({Dimensions} dimensions)";
}
