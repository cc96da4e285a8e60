using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SemanticSearch.Chunking;
using SemanticSearch.Configuration;
using SemanticSearch.Diagnostics;
using SemanticSearch.Embeddings;
using SemanticSearch.Indexing;

namespace SemanticSearch.Query;

/// <summary>
/// Answers searches: result cache first (HybridCache, so a burst of identical queries runs once), then on a miss the
/// query embedding (through the same embedding cache as the documents) and the index. The cache key holds the index
/// generation, so a change to the index makes every older answer unreachable at once — nothing stale is ever served,
/// and nothing has to be purged.
/// </summary>
public sealed partial class SearchService(
    IEmbeddingGenerator<string, Embedding<float>> generator,
    ISearchIndex index,
    HybridCache cache,
    IOptions<ResultCacheOptions> options,
    SemanticSearchMetrics metrics,
    ILogger<SearchService> logger)
{
    private static readonly EmbeddingGenerationOptions QueryOptions = new EmbeddingGenerationOptions().ForInputKind(EmbeddingInputKind.Query);

    private readonly HybridCacheEntryOptions _entryOptions = new()
    {
        Expiration = options.Value.Ttl,
        LocalCacheExpiration = options.Value.Ttl,
    };

    public async Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var generation = await index.GetGenerationAsync(cancellationToken).ConfigureAwait(false);
        var mode = SearchRequestParser.ToParameter(request.Mode);
        var key = CacheKey(generation, request);

        var computed = false;
        var cached = await cache.GetOrCreateAsync(
            key,
            (Request: request, Generation: generation),
            async (state, token) =>
            {
                computed = true;
                return new CachedSearchResults(state.Generation, await ExecuteAsync(state.Request, token).ConfigureAwait(false));
            },
            _entryOptions,
            cancellationToken: cancellationToken).ConfigureAwait(false);

        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.RecordSearch(!computed, mode, elapsed);
        LogSearched(logger, mode, request.Top, request.Skip, computed ? "miss" : "hit", cached.Results.Count, generation, elapsed.TotalMilliseconds);
        return new SearchResponse(request.Query, mode, request.Top, request.Skip, computed ? "miss" : "hit", Math.Round(elapsed.TotalMilliseconds, 2), cached.Results);
    }

    /// <summary>
    /// Everything that changes the answer and nothing else: the index generation, mode, page, the normalized query,
    /// the filters and the caller's groups — so a cached answer never reaches a caller with fewer rights. The variable
    /// parts are hashed, which keeps keys short and free of characters some stores reject.
    /// </summary>
    internal static string CacheKey(long generation, SearchRequest request)
    {
        var filters = request.Filters;
        var scope = string.Join('\u001f',
            TextNormalizer.Normalize(request.Query),
            string.Join('\u001e', filters.Tags),
            filters.Folder ?? string.Empty,
            filters.Type ?? string.Empty,
            filters.ModifiedAfter?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            filters.ModifiedBefore?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            string.Join('\u001e', request.Caller.Groups));
        return string.Create(CultureInfo.InvariantCulture,
            $"search:v2:{generation}:{SearchRequestParser.ToParameter(request.Mode)}:{request.Top}:{request.Skip}:{ContentHash.Of(scope)}");
    }

    private async Task<IReadOnlyList<SearchResult>> ExecuteAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<float>? vector = null;
        if (request.Mode != RetrievalMode.Keyword)
        {
            var embeddings = await generator.GenerateAsync([request.Query], QueryOptions, cancellationToken).ConfigureAwait(false);
            vector = embeddings[0].Vector;
        }
        var query = new IndexQuery(request.Query, vector, request.Mode, request.Top) { Skip = request.Skip, Filters = request.Filters, Caller = request.Caller };
        var hits = await index.SearchAsync(query, cancellationToken).ConfigureAwait(false);
        return [.. hits.Select(ToResult)];
    }

    private static SearchResult ToResult(SearchHit hit) => new(hit.DocumentId, hit.ChunkId, hit.Content, hit.Score)
    {
        Title = hit.Document.Title,
        Source = hit.Document.Source,
        Url = hit.Document.Url,
        ContentType = hit.Document.ContentType,
        Headings = hit.Headings,
        Page = hit.Page,
        ModifiedAt = hit.Document.ModifiedAt,
        Tags = hit.Document.Tags,
        Highlights = hit.Highlights,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Search mode={Mode} top={Top} skip={Skip} cache={Cache} results={Results} generation={Generation} in {ElapsedMs:F1} ms")]
    private static partial void LogSearched(ILogger logger, string mode, int top, int skip, string cache, int results, long generation, double elapsedMs);
}
