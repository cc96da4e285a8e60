namespace SemanticSearch.Tests.Embeddings;

[CollectionDefinition(Name)]
public sealed class SharedEncoder : ICollectionFixture<EncoderFixture>
{
    public const string Name = "Bundled ONNX encoder";
}
