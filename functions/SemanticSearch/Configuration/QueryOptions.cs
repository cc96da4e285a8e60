using System.ComponentModel.DataAnnotations;

namespace SemanticSearch.Configuration;

/// <summary>
/// How searches share the embedding generator (settings <c>Query:*</c>). Only a query whose embedding is not cached
/// needs it; a cached answer or a cached query embedding never waits. What does not fit is shed with 429 and
/// <c>Retry-After</c>, so an overload slows nobody who can be answered from memory.
/// </summary>
public sealed class QueryOptions
{
    /// <summary>Query embeddings computed at once; 0 picks by provider (1 for the in-process model, which uses every core per call; 32 for a remote service).</summary>
    [Range(0, 1024)]
    public int MaxConcurrentEmbeddings { get; set; }

    /// <summary>Query embeddings that may wait for a turn; one more is refused at once.</summary>
    [Range(0, 10_000)]
    public int EmbeddingQueueLength { get; set; } = 16;

    /// <summary>What a refused caller is told to wait (the Retry-After header).</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The concurrency in effect for <paramref name="provider"/>.</summary>
    public int ConcurrencyFor(EncoderProvider provider) =>
        MaxConcurrentEmbeddings > 0 ? MaxConcurrentEmbeddings : provider == EncoderProvider.Onnx ? 1 : 32;
}
