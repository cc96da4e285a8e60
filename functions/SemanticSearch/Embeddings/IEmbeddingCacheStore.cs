namespace SemanticSearch.Embeddings;

/// <summary>
/// Durable key → vector storage behind <see cref="BatchCachingEmbeddingGenerator"/>: SQLite on one machine, Cosmos DB in Azure.
/// Both calls are batched: the generator makes one read and at most one write per batch of texts.
/// </summary>
public interface IEmbeddingCacheStore
{
    /// <summary>Short name for health output and logs ("sqlite", "cosmos").</summary>
    string Name { get; }

    /// <summary>The vectors found for <paramref name="keys"/>; missing keys are simply absent.</summary>
    Task<IReadOnlyDictionary<string, float[]>> GetManyAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    Task SetManyAsync(IReadOnlyCollection<KeyValuePair<string, float[]>> entries, CancellationToken cancellationToken);
}
