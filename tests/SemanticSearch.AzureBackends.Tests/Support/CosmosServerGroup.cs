namespace SemanticSearch.AzureBackends.Tests.Support;

[CollectionDefinition(Name)]
public sealed class CosmosServerGroup : ICollectionFixture<CosmosServerFixture>
{
    public const string Name = "Cosmos DB stand-in";
}
