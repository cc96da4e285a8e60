namespace SemanticSearch.Embeddings;

/// <summary><c>EmbeddingCache:Provider=None</c>: remembers nothing, so every text is computed (useful to measure the cache's effect).</summary>
public sealed class NullEmbeddingCacheStore : IEmbeddingCacheStore
{
    public string Name => "none";

    public Task<IReadOnlyDictionary<string, float[]>> GetManyAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, float[]>>(new Dictionary<string, float[]>());

    public Task SetManyAsync(IReadOnlyCollection<KeyValuePair<string, float[]>> entries, CancellationToken cancellationToken) => Task.CompletedTask;
}
