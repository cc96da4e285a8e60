namespace SemanticSearch.Indexing;

/// <summary>The index was built by another embedding model; mixing vectors of two models gives meaningless scores.</summary>
public sealed class VectorSpaceMismatchException(VectorSpace indexed, VectorSpace configured)
    : InvalidOperationException(
        $"The index was built with {indexed} but the configured encoder is {configured}. " +
        "Use the same encoder, or rebuild the index into a new data folder (or a new index name).")
{
    public VectorSpace Indexed { get; } = indexed;

    public VectorSpace Configured { get; } = configured;
}
