using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SemanticSearch.Chunking;
using SemanticSearch.Configuration;

namespace SemanticSearch.Embedded.Onnx;

public static class OnnxServiceCollectionExtensions
{
    /// <summary>
    /// Registers the bundled embedding generator, configured by <see cref="IOptions{EncoderOptions}"/>:
    /// <see cref="MiniLmTokenizer"/> (also as the <see cref="ITokenCounter"/> the chunker counts with, unless one is
    /// registered already) and <see cref="OnnxEmbeddingGenerator"/> sharing that tokenizer, as the embedding generator
    /// of <see cref="EncoderProvider.Onnx"/>. Nothing is loaded until first resolved.
    /// </summary>
    public static IServiceCollection AddOnnxEmbeddingGenerator(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        services.TryAddSingleton(provider => new MiniLmTokenizer(provider.GetRequiredService<IOptions<EncoderOptions>>()));
        services.TryAddSingleton<ITokenCounter>(provider => provider.GetRequiredService<MiniLmTokenizer>());
        services.TryAddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(EncoderProvider.Onnx, (provider, _) => new OnnxEmbeddingGenerator(
            provider.GetRequiredService<IOptions<EncoderOptions>>(),
            provider.GetRequiredService<MiniLmTokenizer>()));
        return services;
    }
}
