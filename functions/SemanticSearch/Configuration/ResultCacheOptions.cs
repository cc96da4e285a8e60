namespace SemanticSearch.Configuration;

public sealed class ResultCacheOptions
{
    public ResultCacheProvider Provider { get; set; } = ResultCacheProvider.Memory;

    /// <summary>How long a search answer is served from the cache (it is never served after the index changes).</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromMinutes(5);

    public CosmosContainerOptions Cosmos { get; set; } = new() { Container = "results" };
}
