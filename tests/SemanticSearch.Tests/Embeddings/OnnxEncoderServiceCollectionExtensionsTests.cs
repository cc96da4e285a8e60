using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Chunking;
using SemanticSearch.Configuration;
using SemanticSearch.Embeddings.Onnx;

namespace SemanticSearch.Tests.Embeddings;

public sealed class OnnxEncoderServiceCollectionExtensionsTests
{
    [Fact]
    public void RegistersOneTokenizer_SharedByTheCounterAndTheGenerator()
    {
        using var services = new ServiceCollection()
            .Configure<EncoderOptions>(options => options.BatchSize = 8)
            .AddOnnxEncoder()
            .BuildServiceProvider();

        var tokenizer = services.GetRequiredService<MiniLmTokenizer>();
        var generator = services.GetRequiredService<OnnxEmbeddingGenerator>();

        Assert.Same(tokenizer, services.GetRequiredService<ITokenCounter>());
        Assert.Same(tokenizer, generator.Tokenizer);
        Assert.Same(generator, services.GetRequiredService<OnnxEmbeddingGenerator>());
    }

    [Fact]
    public void KeepsATokenCounterRegisteredBefore()
    {
        var existing = new FixedTokenCounter();
        using var services = new ServiceCollection()
            .AddSingleton<ITokenCounter>(existing)
            .AddOnnxEncoder()
            .BuildServiceProvider();

        Assert.Same(existing, services.GetRequiredService<ITokenCounter>());
    }

    private sealed class FixedTokenCounter : ITokenCounter
    {
        public int CountTokens(string text) => 1;
    }
}
