namespace SemanticSearch.Embeddings;

/// <summary>
/// A query needed the embedding generator while it was busy and its queue full: the caller should come back after
/// <see cref="RetryAfter"/> (the HTTP API answers 429 with that <c>Retry-After</c>).
/// </summary>
public sealed class EmbeddingCapacityExceededException(TimeSpan retryAfter)
    : InvalidOperationException($"The embedding generator is busy; try again in {Math.Ceiling(retryAfter.TotalSeconds)} s.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
