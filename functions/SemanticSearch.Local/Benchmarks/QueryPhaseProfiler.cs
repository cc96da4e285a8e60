using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using SemanticSearch.Configuration;
using SemanticSearch.Embeddings;
using SemanticSearch.Embedded.Onnx;
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
    private const string KeywordPhase = "keyword search at candidate depth (Lucene BM25, hits read back with highlights)";
    private const string VectorPhase = "vector search at candidate depth (exact cosine, hits read back with highlights)";
    private const string FusePhase = "fuse (RRF)";

    public static async Task<IReadOnlyList<PhaseTiming>> RunAsync(IServiceProvider services, IReadOnlyList<string> queries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(queries);
        var tokenizer = services.GetRequiredService<MiniLmTokenizer>();
        var encoder = services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(SemanticSearchServiceKeys.UncachedEmbeddingGenerator);
        var store = services.GetRequiredService<IEmbeddingCacheStore>();
        var index = services.GetRequiredService<ISearchIndex>();
        var description = VectorSpace.Of(services.GetRequiredService<EmbeddingGeneratorMetadata>());
        var ranking = services.GetRequiredService<IOptions<SemanticSearchOptions>>().Value.Index.Embedded;
        var service = services.GetRequiredService<SearchService>();
        const int top = 10;

        // One untimed pass on a throw-away text first: JIT and first-use costs are not per-query costs.
        var clock = new PhaseClock();
        await ProfileAsync(queries[0] + " warm-up").ConfigureAwait(false);
        clock = new PhaseClock();
        var serviceTotal = 0.0;
        foreach (var text in queries)
        {
            serviceTotal += await ProfileAsync(text).ConfigureAwait(false);
        }

        async Task<double> ProfileAsync(string text)
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
            await encoder.GenerateAsync([text], cancellationToken: cancellationToken).ConfigureAwait(false);
            clock.Add("encode (model)", Math.Max(0, Stopwatch.GetElapsedTime(encodeStarted).TotalMilliseconds - tokenizing));

            // The service on the same new text: embedding through the cache, hybrid search, result caching.
            var started = Stopwatch.GetTimestamp();
            await service.SearchAsync(new SearchRequest(text, top, RetrievalMode.Hybrid), cancellationToken).ConfigureAwait(false);
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        // The index phases in a pass of their own, so that the parts and the whole are timed alike (right after an
        // encoder run, caches are cold and the first SQLite call of a query pays for it).
        var hybrid = 0.0;
        foreach (var text in queries)
        {
            var vector = (await store.GetManyAsync([EmbeddingCacheKey.Create(description.ModelId, description.Dimensions, EmbeddingInputKind.Query, text)], cancellationToken).ConfigureAwait(false)).Values.First();
            var depth = Math.Max(top, ranking.CandidateDepth);
            var keyword = await clock.TimeAsync(KeywordPhase, () => index.SearchAsync(new IndexQuery(text, null, RetrievalMode.Keyword, depth), cancellationToken)).ConfigureAwait(false);
            var nearest = await clock.TimeAsync(VectorPhase, () => index.SearchAsync(new IndexQuery(text, vector, RetrievalMode.Vector, depth), cancellationToken)).ConfigureAwait(false);
            clock.Time(FusePhase, () => ReciprocalRankFusion.Fuse([[.. keyword.Select(h => h.ChunkId)], [.. nearest.Select(h => h.ChunkId)]], ranking.RrfK, [ranking.KeywordWeight, ranking.VectorWeight]));
            var started = Stopwatch.GetTimestamp();
            await index.SearchAsync(new IndexQuery(text, vector, RetrievalMode.Hybrid, top), cancellationToken).ConfigureAwait(false);
            hybrid += Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        var phases = clock.PerItem(queries.Count).ToDictionary(p => p.Phase, p => p.Milliseconds, StringComparer.Ordinal);
        var perQuery = serviceTotal / queries.Count;
        var hybridPerQuery = hybrid / queries.Count;
        var embedding = phases["tokenize"] + phases["embedding-cache lookup"] + phases["encode (model)"];
        var overhead = Math.Max(0, perQuery - embedding - hybridPerQuery);
        PhaseTiming Phase(string name, double milliseconds) => new(name, milliseconds, milliseconds / perQuery);
        return
        [
            Phase("tokenize", phases["tokenize"]),
            Phase("embedding-cache lookup", phases["embedding-cache lookup"]),
            Phase("encode (model)", phases["encode (model)"]),
            Phase("hybrid index search (as served, top 10)", hybridPerQuery),
            Phase("  alone: " + KeywordPhase, phases[KeywordPhase]),
            Phase("  alone: " + VectorPhase, phases[VectorPhase]),
            Phase("  alone: " + FusePhase, phases[FusePhase]),
            Phase("service: result cache, generation, cache write", overhead),
            Phase("SearchService total, cache miss", perQuery),
        ];
    }
}
