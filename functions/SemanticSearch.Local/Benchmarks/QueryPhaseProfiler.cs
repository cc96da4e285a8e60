using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SemanticSearch.Configuration;
using SemanticSearch.Embeddings;
using SemanticSearch.Embeddings.Onnx;
using SemanticSearch.Indexing;
using SemanticSearch.Query;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>
/// Where a result-cache miss spends its time, phase by phase, with the product's own components: tokenizing, the
/// embedding-cache lookup, the encoder, keyword and vector search (each at the fusion's candidate depth, including
/// reading those rows back), fusing, and the whole hybrid index search as the service runs it. What the service adds
/// on top (result cache, generation check, cache writes) is its total minus the phases it runs.
/// </summary>
internal static class QueryPhaseProfiler
{
    public static async Task<IReadOnlyList<PhaseTiming>> RunAsync(IServiceProvider services, IReadOnlyList<string> queries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(queries);
        var tokenizer = services.GetRequiredService<MiniLmTokenizer>();
        var encoder = services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(SemanticSearchServiceCollectionExtensions.EncoderServiceKey);
        var store = services.GetRequiredService<IEmbeddingCacheStore>();
        var index = services.GetRequiredService<ISearchIndex>();
        var description = services.GetRequiredService<EncoderDescription>();
        var ranking = services.GetRequiredService<IOptions<SemanticSearchOptions>>().Value.Index.Embedded;
        var service = services.GetRequiredService<SearchService>();
        const int top = 10;

        var clock = new PhaseClock();
        var serviceTotal = 0.0;
        foreach (var text in queries)
        {
            var tokenizing = clock.Time("tokenize", () =>
            {
                var started = Stopwatch.GetTimestamp();
                tokenizer.EncodeForModel(text, OnnxEmbeddingGenerator.MaxSequenceLength);
                return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            });
            var key = EmbeddingCacheKey.Create(description.ModelId, description.Dimensions, EmbeddingInputKind.Query, text);
            await clock.TimeAsync("embedding-cache lookup", () => store.GetManyAsync([key], cancellationToken)).ConfigureAwait(false);
            var encodeStarted = Stopwatch.GetTimestamp();
            var vector = (await encoder.GenerateAsync([text], cancellationToken: cancellationToken).ConfigureAwait(false))[0].Vector;
            clock.Add("encode (model)", Math.Max(0, Stopwatch.GetElapsedTime(encodeStarted).TotalMilliseconds - tokenizing));

            var depth = Math.Max(top, ranking.CandidateDepth);
            var keyword = await clock.TimeAsync("keyword search (FTS5 BM25, depth rows)", () => index.SearchAsync(new IndexQuery(text, null, SearchMode.Keyword, depth), cancellationToken)).ConfigureAwait(false);
            var nearest = await clock.TimeAsync("vector search (exact cosine, depth rows)", () => index.SearchAsync(new IndexQuery(text, vector, SearchMode.Vector, depth), cancellationToken)).ConfigureAwait(false);
            clock.Time("fuse (RRF)", () => ReciprocalRankFusion.Fuse([[.. keyword.Select(h => h.ChunkId)], [.. nearest.Select(h => h.ChunkId)]], ranking.RrfK));

            // The service on the same new text: embedding through the cache, hybrid search, result caching.
            var started = Stopwatch.GetTimestamp();
            await service.SearchAsync(new SearchRequest(text, top, SearchMode.Hybrid), cancellationToken).ConfigureAwait(false);
            serviceTotal += Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        // The hybrid index search alone, as the service runs it (keyword + vector + fuse + reading the top rows).
        var hybrid = 0.0;
        foreach (var text in queries)
        {
            var vector = (await store.GetManyAsync([EmbeddingCacheKey.Create(description.ModelId, description.Dimensions, EmbeddingInputKind.Query, text)], cancellationToken).ConfigureAwait(false)).Values.First();
            var started = Stopwatch.GetTimestamp();
            await index.SearchAsync(new IndexQuery(text, vector, SearchMode.Hybrid, top), cancellationToken).ConfigureAwait(false);
            hybrid += Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        var phases = clock.PerItem(queries.Count).ToList();
        var perQuery = serviceTotal / queries.Count;
        var embedding = phases.Where(p => p.Phase is "tokenize" or "embedding-cache lookup" or "encode (model)").Sum(p => p.Milliseconds);
        var hybridPerQuery = hybrid / queries.Count;
        return
        [
            .. phases.Select(p => p with { Share = p.Milliseconds / perQuery }),
            new PhaseTiming("hybrid index search as served (keyword + vector + fuse + top rows)", hybridPerQuery, hybridPerQuery / perQuery),
            new PhaseTiming("service overhead (result cache, generation, cache write)", Math.Max(0, perQuery - embedding - hybridPerQuery), Math.Max(0, perQuery - embedding - hybridPerQuery) / perQuery),
            new PhaseTiming("SearchService total, cache miss", perQuery, 1),
        ];
    }
}
