namespace SemanticSearch.Configuration;

public sealed class EmbeddingCacheOptions
{
    public EmbeddingCacheProvider Provider { get; set; } = EmbeddingCacheProvider.Sqlite;

    public CosmosContainerOptions Cosmos { get; set; } = new() { Container = "embeddings" };
}
