using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SemanticSearch.Configuration;
using SemanticSearch.Embedded.Indexing;
using SemanticSearch.Embedded.Sqlite;
using SemanticSearch.Embeddings;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Embedded;

public static class EmbeddedServiceCollectionExtensions
{
    /// <summary>
    /// Registers the embedded backends under their provider values, each a file in the data folder
    /// (<c>Data:Path</c>): the SQLite embedding cache (and the <c>None</c> cache), the embedded index and the SQLite
    /// document status store. <see cref="ConfiguredBackends"/> picks among them and the Azure ones by setting.
    /// </summary>
    public static IServiceCollection AddEmbeddedBackends(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddKeyedSingleton<IEmbeddingCacheStore>(EmbeddingCacheProvider.Sqlite, (sp, _) => new SqliteEmbeddingCacheStore(DataFile(sp, "embeddings.db")));
        services.TryAddKeyedSingleton<IEmbeddingCacheStore>(EmbeddingCacheProvider.None, (_, _) => new NullEmbeddingCacheStore());
        services.TryAddKeyedSingleton<ISearchIndex>(IndexProvider.Embedded, (sp, _) => new EmbeddedSearchIndex(DataFile(sp, "index.db"), Options(sp).Index.Embedded.ToSettings()));
        services.TryAddKeyedSingleton<IDocumentStatusStore>(DocumentStatusProvider.Sqlite, (sp, _) => new SqliteDocumentStatusStore(DataFile(sp, "documents.db")));
        return services;
    }

    private static SemanticSearchOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<SemanticSearchOptions>>().Value;

    private static string DataFile(IServiceProvider services, string name) =>
        Path.Combine(Path.GetFullPath(Options(services).Data.Path), name);
}
