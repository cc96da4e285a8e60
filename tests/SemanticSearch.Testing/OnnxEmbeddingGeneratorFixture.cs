using SemanticSearch.Embedded.Onnx;

namespace SemanticSearch.Testing;

/// <summary>One bundled encoder for all encoder tests: a session takes ~300 ms to create and holds the 90 MB model.</summary>
public sealed class OnnxEmbeddingGeneratorFixture : IDisposable
{
    public OnnxEmbeddingGenerator Generator { get; } = OnnxEmbeddingGenerator.Create();

    public MiniLmTokenizer Tokenizer => Generator.Tokenizer;

    public async Task<float[]> EmbedAsync(string text) =>
        (await Generator.GenerateAsync([text]))[0].Vector.ToArray();

    public void Dispose() => Generator.Dispose();
}
