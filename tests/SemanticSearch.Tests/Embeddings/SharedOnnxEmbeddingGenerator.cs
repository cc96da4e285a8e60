namespace SemanticSearch.Tests.Embeddings;

[CollectionDefinition(Name)]
public sealed class SharedOnnxEmbeddingGenerator : ICollectionFixture<OnnxEmbeddingGeneratorFixture>
{
    public const string Name = "Bundled ONNX encoder";
}
