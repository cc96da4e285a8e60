using SemanticSearch.Configuration;
using SemanticSearch.Embedded.Onnx;

namespace SemanticSearch.Testing;

/// <summary>
/// One bundled fp32 encoder for all encoder tests: a session takes ~300 ms to create and holds the 90 MB model. It is the
/// fp32 model whatever the default, because the known-good values (sentence-transformers' own) are those of fp32.
/// </summary>
public sealed class OnnxEmbeddingGeneratorFixture : IDisposable
{
    public OnnxEmbeddingGenerator Generator { get; } = OnnxEmbeddingGenerator.Create(Fp32Options());

    /// <summary>Encoder options that select the bundled fp32 model.</summary>
    public static EncoderOptions Fp32Options(int batchSize = 32) => new() { BatchSize = batchSize, Onnx = { Model = OnnxEncoderOptions.Fp32Model } };

    public MiniLmTokenizer Tokenizer => Generator.Tokenizer;

    public async Task<float[]> EmbedAsync(string text) =>
        (await Generator.GenerateAsync([text]))[0].Vector.ToArray();

    public void Dispose() => Generator.Dispose();
}
