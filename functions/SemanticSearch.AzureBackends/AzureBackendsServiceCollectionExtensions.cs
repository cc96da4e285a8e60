using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Search.Documents.Indexes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SemanticSearch.AzureBackends.AzureAISearch;
using SemanticSearch.AzureBackends.AzureOpenAI;
using SemanticSearch.AzureBackends.CosmosDB;
using SemanticSearch.Configuration;
using SemanticSearch.Embeddings;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;

namespace SemanticSearch.AzureBackends;

public static class AzureBackendsServiceCollectionExtensions
{
    /// <summary>
    /// Registers every Azure backend under its provider value, next to the embedded ones that <c>AddSemanticSearch</c>
    /// registers: <see cref="EncoderProvider.AzureOpenAI"/>, <see cref="EmbeddingCacheProvider.Cosmos"/>,
    /// <see cref="IndexProvider.AzureAISearch"/>, <see cref="DocumentStatusProvider.Cosmos"/> and
    /// <see cref="ResultCacheProvider.Cosmos"/>. The settings decide which serve (see <c>ConfiguredBackends</c>);
    /// nothing Azure is created unless they ask for it. Without a key, Azure services are reached with the managed
    /// identity (or, on a developer machine, the Azure CLI login).
    /// </summary>
    public static IServiceCollection AddAzureBackends(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.TryAddSingleton(sp => new CosmosClientFactory(() => sp.GetRequiredService<TokenCredential>()));

        services.TryAddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(EncoderProvider.AzureOpenAI, (sp, _) => new AzureOpenAIEmbeddingGenerator(
            Options(sp).Encoder.AzureOpenAI,
            Options(sp).Encoder.BatchSize,
            () => sp.GetRequiredService<TokenCredential>()));
        services.TryAddKeyedSingleton<IEmbeddingCacheStore>(EmbeddingCacheProvider.Cosmos, (sp, _) => new CosmosEmbeddingCacheStore(
            Connection(sp, Options(sp).EmbeddingCache.Cosmos),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CosmosEmbeddingCacheStore>>()));
        services.TryAddKeyedSingleton<ISearchIndex>(IndexProvider.AzureAISearch, (sp, _) => CreateAzureAISearchIndex(sp, Options(sp).Index.AzureAISearch));
        services.TryAddKeyedSingleton<IDocumentStatusStore>(DocumentStatusProvider.Cosmos, (sp, _) => new CosmosDocumentStatusStore(
            Connection(sp, Options(sp).DocumentStatus.Cosmos),
            sp.GetRequiredService<ILogger<CosmosDocumentStatusStore>>()));
        services.TryAddKeyedSingleton<IDistributedCache>(ResultCacheProvider.Cosmos, (sp, _) => new CosmosDistributedCache(
            Connection(sp, Options(sp).ResultCache.Cosmos),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CosmosDistributedCache>>()));
        return services;
    }

    private static SemanticSearchOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<SemanticSearchOptions>>().Value;

    private static CosmosContainerConnection Connection(IServiceProvider services, CosmosContainerOptions options) => new(
        services.GetRequiredService<CosmosClientFactory>().GetClient(options),
        options,
        services.GetRequiredService<ILogger<CosmosContainerConnection>>());

    private static AzureAISearchIndex CreateAzureAISearchIndex(IServiceProvider services, AzureAISearchOptions options)
    {
        var endpoint = options.Endpoint ?? throw new InvalidOperationException("Index:AzureAISearch:Endpoint is required when Index:Provider is AzureAISearch.");
        var clientOptions = AzureAISearchIndex.CreateClientOptions();
        var client = string.IsNullOrWhiteSpace(options.ApiKey)
            ? new SearchIndexClient(endpoint, services.GetRequiredService<TokenCredential>(), clientOptions)
            : new SearchIndexClient(endpoint, new AzureKeyCredential(options.ApiKey), clientOptions);
        var state = new CosmosSearchIndexStateStore(
            Connection(services, options.State),
            options.IndexName,
            services.GetRequiredService<ILogger<CosmosSearchIndexStateStore>>());
        return new AzureAISearchIndex(client, options.IndexName, state, services.GetRequiredService<ILogger<AzureAISearchIndex>>());
    }
}
