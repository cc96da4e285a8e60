using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SemanticSearch.Configuration;
using SemanticSearch.Embedded.Indexing;
using SemanticSearch.Embedded.Sqlite;
using SemanticSearch.Embeddings;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Embedded;

public static partial class EmbeddedServiceCollectionExtensions
{
    /// <summary>
    /// Registers the embedded backends under their provider values, each a file (the index: a folder) in the data folder
    /// (<c>Data:Path</c>): the SQLite embedding cache (and the <c>None</c> cache), the embedded index and the SQLite
    /// document status store. <see cref="ConfiguredBackends"/> picks among them and the Azure ones by setting.
    /// </summary>
    public static IServiceCollection AddEmbeddedBackends(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddKeyedSingleton<IEmbeddingCacheStore>(EmbeddingCacheProvider.Sqlite, (sp, _) => new SqliteEmbeddingCacheStore(DataFile(sp, "embeddings.db")));
        services.TryAddKeyedSingleton<IEmbeddingCacheStore>(EmbeddingCacheProvider.None, (_, _) => new NullEmbeddingCacheStore());
        services.TryAddKeyedSingleton<ISearchIndex>(IndexProvider.Embedded, (sp, _) => CreateIndex(sp));
        services.TryAddKeyedSingleton<IDocumentStatusStore>(DocumentStatusProvider.Sqlite, (sp, _) => new SqliteDocumentStatusStore(DataFile(sp, "documents.db")));
        return services;
    }

    private static EmbeddedSearchIndex CreateIndex(IServiceProvider services)
    {
        // Before the Lucene.NET index, the embedded index was one SQLite file; its documents re-index on their next sync.
        var retired = DataFile(services, "index.db");
        if (File.Exists(retired))
        {
            LogRetiredIndex(services.GetRequiredService<ILoggerFactory>().CreateLogger<EmbeddedSearchIndex>(), retired, DataFile(services, EmbeddedSearchIndex.FolderName));
        }
        return new EmbeddedSearchIndex(DataFile(services, EmbeddedSearchIndex.FolderName), Options(services).Index.Embedded.ToSettings());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Retired} is no longer used (the embedded index now lives in {Folder}); documents are re-indexed there on their next sync, embeddings come from the cache. Delete the file to free its space.")]
    private static partial void LogRetiredIndex(ILogger logger, string retired, string folder);

    private static SemanticSearchOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<SemanticSearchOptions>>().Value;

    private static string DataFile(IServiceProvider services, string name) =>
        Path.Combine(Path.GetFullPath(Options(services).Data.Path), name);
}
