using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Search.Documents.Indexes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SemanticSearch.Azure.Cosmos;
using SemanticSearch.Azure.OpenAI;
using SemanticSearch.Azure.Search;
using SemanticSearch.Chunking;
using SemanticSearch.Diagnostics;
using SemanticSearch.Embeddings;
using SemanticSearch.Embeddings.Onnx;
using SemanticSearch.Extraction;
using SemanticSearch.Http;
using SemanticSearch.Indexing;
using SemanticSearch.Indexing.Embedded;
using SemanticSearch.Ingestion;
using SemanticSearch.Query;

namespace SemanticSearch.Configuration;

/// <summary>
/// The composition root shared by every host, and the one file that decides which backend serves each concern
/// (encoder, embedding cache, index, result cache, document status) from <see cref="SemanticSearchOptions"/>.
/// </summary>
public static class SemanticSearchServiceCollectionExtensions
{
    /// <summary>The raw encoder, before the embedding cache wraps it.</summary>
    public const string EncoderServiceKey = "encoder";

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

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        // Azure backends without a key use the managed identity (or, on a developer machine, the Azure CLI login).
        // Created on first use only, so the embedded defaults never touch Azure.Identity.
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.TryAddSingleton(sp => new CosmosClientFactory(() => sp.GetRequiredService<TokenCredential>()));
        services.TryAddSingleton<SemanticSearchMetrics>();

        services.AddDocumentExtraction();
        // Chunk boundaries always follow the bundled WordPiece tokenizer, whatever the encoder: chunk ids (and so
        // the embedding cache) stay stable when the encoder changes, and 256 word pieces fit every encoder we offer.
        services.TryAddSingleton<MiniLmTokenizer>();
        services.TryAddSingleton<ITokenCounter>(sp => sp.GetRequiredService<MiniLmTokenizer>());
        services.TryAddSingleton<Chunker>();

        services.AddKeyedSingleton(EncoderServiceKey, (sp, _) => CreateEncoder(sp));
        services.TryAddSingleton(sp => Describe(sp.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(EncoderServiceKey)));
        services.TryAddSingleton(CreateEmbeddingCacheStore);
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => new CachingEmbeddingGenerator(
            sp.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(EncoderServiceKey),
            sp.GetRequiredService<IEmbeddingCacheStore>(),
            sp.GetRequiredService<SemanticSearchMetrics>(),
            sp.GetRequiredService<ILogger<CachingEmbeddingGenerator>>()));

        services.TryAddSingleton(sp => new InitializingSearchIndex(CreateIndex(sp), sp.GetRequiredService<EncoderDescription>().Identity));
        services.TryAddSingleton<ISearchIndex>(sp => sp.GetRequiredService<InitializingSearchIndex>());
        services.TryAddSingleton(CreateDocumentStatusStore);

        services.AddHybridCache(cache =>
        {
            cache.MaximumPayloadBytes = 4 * 1024 * 1024;
            cache.MaximumKeyLength = 512;
        });
        // HybridCache picks up whatever IDistributedCache is registered as its shared second tier. The provider has to
        // be known while services are registered; an unparsable value is reported by options validation at start-up.
        if (Enum.TryParse<ResultCacheProvider>(configuration["ResultCache:Provider"], ignoreCase: true, out var resultCache)
            && resultCache == ResultCacheProvider.Cosmos)
        {
            services.AddSingleton<IDistributedCache>(sp => new CosmosDistributedCache(
                Connection(sp, Options(sp).ResultCache.Cosmos),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<CosmosDistributedCache>>()));
        }

        services.TryAddSingleton(sp => new BackendDescription(
            sp.GetRequiredService<ISearchIndex>().Name,
            sp.GetRequiredService<IEmbeddingCacheStore>().Name,
            Options(sp).ResultCache.Provider.ToString().ToLowerInvariant(),
            sp.GetRequiredService<IDocumentStatusStore>().Name));

        services.TryAddSingleton<DocumentIngestor>();
        services.TryAddSingleton<SearchService>();
        services.TryAddSingleton<SearchApi>();
        return services;
    }

    /// <summary>Opens the index now (checking the encoder against it) so a bad configuration fails at start-up, not on the first request.</summary>
    public static Task InitializeSemanticSearchAsync(this IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<InitializingSearchIndex>().EnsureInitializedAsync(cancellationToken);

    private static SemanticSearchOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<SemanticSearchOptions>>().Value;

    private static string DataFile(IServiceProvider services, string name) =>
        Path.Combine(Path.GetFullPath(Options(services).Data.Path), name);

    private static void AddSection<T>(IServiceCollection services, Func<SemanticSearchOptions, T> section) where T : class =>
        services.TryAddSingleton<IOptions<T>>(sp => Microsoft.Extensions.Options.Options.Create(section(Options(sp))));

    private static IEmbeddingGenerator<string, Embedding<float>> CreateEncoder(IServiceProvider services) =>
        Options(services).Encoder.Provider switch
        {
            EncoderProvider.Onnx => new OnnxEmbeddingGenerator(services.GetRequiredService<IOptions<EncoderOptions>>(), services.GetRequiredService<MiniLmTokenizer>()),
            EncoderProvider.AzureOpenAI => AzureOpenAIEncoder.Create(
                Options(services).Encoder.AzureOpenAI,
                Options(services).Encoder.BatchSize,
                () => services.GetRequiredService<TokenCredential>()),
            var other => throw new NotSupportedException($"Encoder:Provider={other} is not available in this build."),
        };

    private static EncoderDescription Describe(IEmbeddingGenerator<string, Embedding<float>> encoder)
    {
        var metadata = encoder.GetService<EmbeddingGeneratorMetadata>()
            ?? throw new InvalidOperationException("The encoder does not describe itself.");
        return new EncoderDescription(
            metadata.ProviderName ?? "unknown",
            metadata.DefaultModelId ?? throw new InvalidOperationException("The encoder reports no model id."),
            metadata.DefaultModelDimensions ?? throw new InvalidOperationException("The encoder reports no dimensions."));
    }

    private static IEmbeddingCacheStore CreateEmbeddingCacheStore(IServiceProvider services) =>
        Options(services).EmbeddingCache.Provider switch
        {
            EmbeddingCacheProvider.Sqlite => new SqliteEmbeddingCacheStore(DataFile(services, "embeddings.db")),
            EmbeddingCacheProvider.None => new NullEmbeddingCacheStore(),
            EmbeddingCacheProvider.Cosmos => new CosmosEmbeddingCacheStore(
                Connection(services, Options(services).EmbeddingCache.Cosmos),
                services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILogger<CosmosEmbeddingCacheStore>>()),
            var other => throw new NotSupportedException($"EmbeddingCache:Provider={other} is not available in this build."),
        };

    private static ISearchIndex CreateIndex(IServiceProvider services) =>
        Options(services).Index.Provider switch
        {
            IndexProvider.Embedded => new EmbeddedSearchIndex(DataFile(services, "index.db"), Options(services).Index.Embedded.ToSettings()),
            IndexProvider.AzureAISearch => CreateAzureAISearchIndex(services, Options(services).Index.AzureAISearch),
            var other => throw new NotSupportedException($"Index:Provider={other} is not available in this build."),
        };

    private static IDocumentStatusStore CreateDocumentStatusStore(IServiceProvider services) =>
        Options(services).DocumentStatus.Provider switch
        {
            DocumentStatusProvider.Sqlite => new SqliteDocumentStatusStore(DataFile(services, "documents.db")),
            DocumentStatusProvider.Cosmos => new CosmosDocumentStatusStore(
                Connection(services, Options(services).DocumentStatus.Cosmos),
                services.GetRequiredService<ILogger<CosmosDocumentStatusStore>>()),
            var other => throw new NotSupportedException($"DocumentStatus:Provider={other} is not available in this build."),
        };

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
