namespace SemanticSearch.AzureBackends.AzureAISearch;

/// <summary>Tuning of <see cref="AzureAISearchIndex"/>; the defaults follow the service's documented limits.</summary>
public sealed record AzureAISearchIndexSettings
{
    public static readonly AzureAISearchIndexSettings Default = new();

    /// <summary>Actions in one indexing request: the service accepts at most 1,000.</summary>
    public int MaxActionsPerBatch { get; init; } = 1000;

    /// <summary>
    /// Estimated JSON bytes in one indexing request. The service accepts 16 MB; the estimate is an upper bound
    /// (every float at its longest, every non-ASCII character escaped), and 12 MB leaves room for the envelope.
    /// </summary>
    public long MaxBytesPerBatch { get; init; } = 12L * 1024 * 1024;

    /// <summary>Nearest neighbours the vector half of a hybrid query contributes to the fusion (k).</summary>
    public int CandidateDepth { get; init; } = 50;

    /// <summary>Further attempts for documents that a batch reports as failed with 409, 422, 429 or 503.</summary>
    public int MaxItemRetries { get; init; } = 5;

    /// <summary>Wait before the first retry of failed documents; doubled for each further attempt.</summary>
    public TimeSpan ItemRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Chunk ids listed per request when reading a document's chunks (the service's maximum top).</summary>
    public int ListPageSize { get; init; } = 1000;

    /// <summary>Analyzer of the content field: English with stemming, like the embedded index's Porter stemmer.</summary>
    public string ContentAnalyzer { get; init; } = "en.lucene";

    /// <summary>Most distinct documents <see cref="AzureAISearchIndex.ListDocumentIdsAsync"/> reports (a facet count).</summary>
    public int MaxListedDocuments { get; init; } = 100_000;
}
