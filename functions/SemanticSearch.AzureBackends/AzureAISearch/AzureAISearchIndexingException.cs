namespace SemanticSearch.AzureBackends.AzureAISearch;

/// <summary>Documents of an indexing batch that Azure AI Search rejected for good (or kept rejecting).</summary>
public sealed class AzureAISearchIndexingException : Exception
{
    public AzureAISearchIndexingException()
    {
        Failures = [];
    }

    public AzureAISearchIndexingException(string message)
        : base(message)
    {
        Failures = [];
    }

    public AzureAISearchIndexingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Failures = [];
    }

    public AzureAISearchIndexingException(string message, IReadOnlyList<(string Key, int Status, string? Error)> failures)
        : base(message)
    {
        Failures = failures;
    }

    public IReadOnlyList<(string Key, int Status, string? Error)> Failures { get; }
}
