namespace SemanticSearch.Configuration;

/// <summary>Keys of the keyed services the composition registers besides the per-provider ones.</summary>
public static class SemanticSearchServiceKeys
{
    /// <summary>
    /// The configured embedding generator itself, before the embedding cache wraps it: benchmarks measure it, tests
    /// replace it (register another <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c> under this key first).
    /// </summary>
    public const string UncachedEmbeddingGenerator = "semantic-search:uncached-embedding-generator";
}
