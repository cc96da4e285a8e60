namespace SemanticSearch.Configuration;

/// <summary>Where chunks are indexed and searched (setting <c>Index:Provider</c>).</summary>
public enum IndexProvider
{
    /// <summary>The embedded index in the data folder.</summary>
    Embedded,

    /// <summary>An Azure AI Search index (needs the Azure backends).</summary>
    AzureAISearch,
}
