namespace SemanticSearch.Configuration;

public sealed class AzureAISearchOptions
{
    public Uri? Endpoint { get; set; }

    public string IndexName { get; set; } = "semantic-search";

    /// <summary>Only for tests against a stand-in; in Azure the managed identity is used.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Where the index's encoder identity and generation are kept for every instance to read (one small item per index).
    /// </summary>
    public CosmosContainerOptions State { get; set; } = new() { Container = "index-state" };
}
