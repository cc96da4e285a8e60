using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SemanticSearch.Diagnostics;
using SemanticSearch.Embeddings;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Configuration;

/// <summary>
/// The one place that decides which backend serves each concern. Every backend registers itself as a keyed service
/// under its provider value (<see cref="EncoderProvider.Onnx"/>, <see cref="IndexProvider.AzureAISearch"/>, …); the
/// services the pipelines use are the ones the settings name. A provider whose library the host did not add fails
/// with a message naming the setting.
/// </summary>
public static class ConfiguredBackends
{
    internal static IServiceCollection AddConfiguredBackends(this IServiceCollection services)
    {
        services.TryAddKeyedSingleton(SemanticSearchServiceKeys.UncachedEmbeddingGenerator, (sp, _) =>
            Select<IEmbeddingGenerator<string, Embedding<float>>>(sp, "Encoder:Provider", Options(sp).Encoder.Provider));
        services.TryAddSingleton(sp => Select<IEmbeddingCacheStore>(sp, "EmbeddingCache:Provider", Options(sp).EmbeddingCache.Provider));
        services.TryAddSingleton(sp => sp
            .GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(SemanticSearchServiceKeys.UncachedEmbeddingGenerator)
            .AsBuilder()
            .UseEmbeddingCache(sp.GetRequiredService<IEmbeddingCacheStore>())
            .UseQueryAdmission(
                Options(sp).Query.ConcurrencyFor(Options(sp).Encoder.Provider),
                Options(sp).Query.EmbeddingQueueLength,
                Options(sp).Query.RetryAfter)
            .Build(sp));
        services.TryAddSingleton(sp => sp.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GetService<EmbeddingGeneratorMetadata>()
            ?? throw new InvalidOperationException("The embedding generator does not describe itself (EmbeddingGeneratorMetadata)."));

        services.TryAddSingleton(sp => new InitializingSearchIndex(
            Select<ISearchIndex>(sp, "Index:Provider", Options(sp).Index.Provider),
            VectorSpace.Of(sp.GetRequiredService<EmbeddingGeneratorMetadata>()),
            sp.GetRequiredService<Readiness>()));
        services.TryAddSingleton<ISearchIndex>(sp => sp.GetRequiredService<InitializingSearchIndex>());
        services.TryAddSingleton(sp => Select<IDocumentStatusStore>(sp, "DocumentStatus:Provider", Options(sp).DocumentStatus.Provider));

        services.TryAddSingleton(sp => new BackendDescription(
            sp.GetRequiredService<ISearchIndex>().Name,
            sp.GetRequiredService<IEmbeddingCacheStore>().Name,
            Options(sp).ResultCache.Provider.ToString().ToLowerInvariant(),
            sp.GetRequiredService<IDocumentStatusStore>().Name));
        return services;
    }

    /// <summary>The backend registered under <paramref name="provider"/>, or an error naming the setting that asked for it.</summary>
    public static T Select<T>(IServiceProvider services, string setting, Enum provider) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(provider);
        return services.GetKeyedService<T>(provider)
            ?? throw new InvalidOperationException(
                $"{setting}={provider} is not available in this host: its backend is not registered " +
                "(the Azure backends come with AddAzureBackends() from SemanticSearch.AzureBackends).");
    }

    private static SemanticSearchOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<SemanticSearchOptions>>().Value;
}
