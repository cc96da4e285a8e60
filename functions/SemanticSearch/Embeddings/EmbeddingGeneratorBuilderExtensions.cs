using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SemanticSearch.Diagnostics;

namespace SemanticSearch.Embeddings;

public static class EmbeddingGeneratorBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="BatchCachingEmbeddingGenerator"/> over <paramref name="store"/>: one batched cache read per call,
    /// only the misses reach the generators below. Metrics and logging come from the builder's services.
    /// </summary>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseEmbeddingCache(
        this EmbeddingGeneratorBuilder<string, Embedding<float>> builder,
        IEmbeddingCacheStore store)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        return builder.Use((inner, services) => new BatchCachingEmbeddingGenerator(
            inner,
            store,
            services.GetRequiredService<SemanticSearchMetrics>(),
            services.GetService<ILogger<BatchCachingEmbeddingGenerator>>() ?? NullLogger<BatchCachingEmbeddingGenerator>.Instance));
    }

    /// <summary>
    /// Adds <see cref="QueryAdmissionEmbeddingGenerator"/>: query embeddings are admitted <paramref name="permits"/> at a
    /// time with <paramref name="queue"/> waiting; the rest are refused with <see cref="EmbeddingCapacityExceededException"/>.
    /// </summary>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseQueryAdmission(
        this EmbeddingGeneratorBuilder<string, Embedding<float>> builder,
        int permits,
        int queue,
        TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new QueryAdmissionEmbeddingGenerator(
            inner, permits, queue, retryAfter, services.GetRequiredService<SemanticSearchMetrics>()));
    }
}
