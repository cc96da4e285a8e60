namespace SemanticSearch.Configuration;

/// <summary>The result cache's shared second level (setting <c>ResultCache:Provider</c>); the first is always in process.</summary>
public enum ResultCacheProvider
{
    /// <summary>In process only.</summary>
    Memory,

    /// <summary>In process, backed by a Cosmos DB container every instance reads (needs the Azure backends).</summary>
    Cosmos,
}
