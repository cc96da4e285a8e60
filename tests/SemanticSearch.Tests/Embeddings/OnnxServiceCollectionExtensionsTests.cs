using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Chunking;
using SemanticSearch.Configuration;
using SemanticSearch.Embedded.Onnx;

namespace SemanticSearch.Tests.Embeddings;

public sealed class OnnxServiceCollectionExtensionsTests
{
    [Fact]
    public void RegistersOneTokenizerSharedByTheCounterAndTheGenerator()
    {
        using var services = new ServiceCollection()
            .Configure<EncoderOptions>(options => options.BatchSize = 8)
            .AddOnnxEmbeddingGenerator()
            .BuildServiceProvider();

        var tokenizer = services.GetRequiredService<MiniLmTokenizer>();
        var generator = Assert.IsType<OnnxEmbeddingGenerator>(services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(EncoderProvider.Onnx));

        Assert.Same(tokenizer, services.GetRequiredService<ITokenCounter>());
        Assert.Same(tokenizer, generator.Tokenizer);
        Assert.Same(generator, services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(EncoderProvider.Onnx));
    }

    [Fact]
    public void KeepsATokenCounterRegisteredBefore()
    {
        var existing = new FixedTokenCounter();
        using var services = new ServiceCollection()
            .AddSingleton<ITokenCounter>(existing)
            .AddOnnxEmbeddingGenerator()
            .BuildServiceProvider();

        Assert.Same(existing, services.GetRequiredService<ITokenCounter>());
    }

    private sealed class FixedTokenCounter : ITokenCounter
    {
        public int CountTokens(string text) => 1;
    }
}
