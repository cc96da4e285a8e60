using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SemanticSearch.Chunking;
using SemanticSearch.Configuration;

namespace SemanticSearch.Embeddings.Onnx;

public static class OnnxEncoderServiceCollectionExtensions
{
    /// <summary>
    /// Registers the bundled encoder's parts as singletons, configured by <see cref="IOptions{EncoderOptions}"/>:
    /// <see cref="MiniLmTokenizer"/> (also as <see cref="ITokenCounter"/>, unless one is registered already) and
    /// <see cref="OnnxEmbeddingGenerator"/> sharing that tokenizer. The generator is not registered as
    /// <c>IEmbeddingGenerator</c>: the composition decides which encoder to expose and what to wrap around it.
    /// Nothing is loaded until first resolved.
    /// </summary>
    public static IServiceCollection AddOnnxEncoder(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddOptions();
        services.TryAddSingleton(provider => new MiniLmTokenizer(provider.GetRequiredService<IOptions<EncoderOptions>>()));
        services.TryAddSingleton<ITokenCounter>(provider => provider.GetRequiredService<MiniLmTokenizer>());
        services.TryAddSingleton(provider => new OnnxEmbeddingGenerator(
            provider.GetRequiredService<IOptions<EncoderOptions>>(),
            provider.GetRequiredService<MiniLmTokenizer>()));
        return services;
    }
}
