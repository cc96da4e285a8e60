namespace SemanticSearch.Configuration;

public sealed class IndexOptions
{
    public IndexProvider Provider { get; set; } = IndexProvider.Embedded;

    public EmbeddedIndexOptions Embedded { get; set; } = new();

    public AzureAISearchOptions AzureAISearch { get; set; } = new();
}
