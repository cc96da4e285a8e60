using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SemanticSearch.Chunking;
using SemanticSearch.Diagnostics;
using SemanticSearch.Embedded;
using SemanticSearch.Embedded.Onnx;
using SemanticSearch.Extraction;
using SemanticSearch.Ingestion;
using SemanticSearch.Query;
using SemanticSearch.Sync;

namespace SemanticSearch.Configuration;

/// <summary>
/// The composition every host shares: the options model, the pipelines (extraction, chunking, ingestion, sync, query)
/// and the embedded backends. Which backend serves each concern is decided by <see cref="ConfiguredBackends"/>; the
/// Azure backends join with <c>AddAzureBackends()</c> from SemanticSearch.AzureBackends.
/// </summary>
public static class SemanticSearchServiceCollectionExtensions
{
    public static IServiceCollection AddSemanticSearch(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SemanticSearchOptions>().Bind(configuration).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SemanticSearchOptions>, SemanticSearchOptionsValidator>());
        AddSection(services, o => o.Encoder);
        AddSection(services, o => o.Chunking);
        AddSection(services, o => o.Ingestion);
        AddSection(services, o => o.ResultCache);
        AddSection(services, o => o.Documents);
        AddSection(services, o => o.Http);

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SemanticSearchMetrics>();
        services.TryAddSingleton<Readiness>();
        // Per-document locks of one process; a host with several instances registers a shared implementation first.
        services.TryAddSingleton<IDocumentLocks, InProcessDocumentLocks>();

        services.AddDocumentExtraction();
        // Chunk boundaries always follow the bundled WordPiece tokenizer, whatever the embedding generator: chunk ids
        // (and so the embedding cache) stay stable when it changes, and 256 word pieces fit every model we offer.
        services.AddOnnxEmbeddingGenerator();
        services.TryAddSingleton<Chunker>();
        services.AddEmbeddedBackends();
        services.AddConfiguredBackends();

        services.AddHybridCache(cache =>
        {
            cache.MaximumPayloadBytes = 4 * 1024 * 1024;
            cache.MaximumKeyLength = 512;
        });
        // HybridCache takes whatever IDistributedCache is registered as its shared second level, so the provider has
        // to be known while services are registered; an unparsable value is reported by options validation at start.
        if (Enum.TryParse<ResultCacheProvider>(configuration["ResultCache:Provider"], ignoreCase: true, out var resultCache)
            && resultCache != ResultCacheProvider.Memory)
        {
            services.TryAddSingleton(sp => ConfiguredBackends.Select<IDistributedCache>(sp, "ResultCache:Provider", resultCache));
        }

        services.TryAddSingleton<DocumentIngestor>();
        services.TryAddSingleton<DocumentSync>();
        services.TryAddSingleton<SearchService>();
        return services;
    }

    /// <summary>Opens the index now (checking the embedding model against it) so a bad configuration fails at start-up, not on the first request.</summary>
    public static Task InitializeSemanticSearchAsync(this IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<Indexing.InitializingSearchIndex>().EnsureInitializedAsync(cancellationToken);

    private static void AddSection<T>(IServiceCollection services, Func<SemanticSearchOptions, T> section) where T : class =>
        services.TryAddSingleton<IOptions<T>>(sp => Options.Create(section(sp.GetRequiredService<IOptions<SemanticSearchOptions>>().Value)));
}
