namespace SemanticSearch.Configuration;

/// <summary>Where embeddings are cached (setting <c>EmbeddingCache:Provider</c>).</summary>
public enum EmbeddingCacheProvider
{
    /// <summary>A SQLite file in the data folder.</summary>
    Sqlite,

    /// <summary>A Cosmos DB container shared by every instance (needs the Azure backends).</summary>
    Cosmos,

    /// <summary>No cache: every text is embedded (to measure what the cache saves).</summary>
    None,
}
