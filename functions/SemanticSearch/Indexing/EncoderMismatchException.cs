namespace SemanticSearch.Indexing;

/// <summary>The index was built with another encoder; mixing vectors of two models gives meaningless scores.</summary>
public sealed class EncoderMismatchException(EncoderIdentity indexed, EncoderIdentity configured)
    : InvalidOperationException(
        $"The index was built with {indexed} but the configured encoder is {configured}. " +
        "Use the same encoder, or rebuild the index into a new data folder (or a new index name).")
{
    public EncoderIdentity Indexed { get; } = indexed;

    public EncoderIdentity Configured { get; } = configured;
}
