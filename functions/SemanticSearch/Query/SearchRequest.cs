using SemanticSearch.Indexing;

namespace SemanticSearch.Query;

/// <summary>A validated search: use <see cref="SearchRequestParser"/> to build one from user input.</summary>
public sealed record SearchRequest(string Query, int Top, RetrievalMode Mode)
{
    public const int MaxQueryLength = 1000;
    public const int MinTop = 1;
    public const int MaxTop = 50;
    public const int DefaultTop = 5;
    public const int MaxSkip = 1000;
    public const RetrievalMode DefaultMode = RetrievalMode.Hybrid;

    /// <summary>Hits to pass over before the first returned (paging: pages of <see cref="Top"/> concatenate to the unpaged list).</summary>
    public int Skip { get; init; }

    public SearchFilters Filters { get; init; } = SearchFilters.None;

    /// <summary>Who asks: documents with an ACL none of the caller's groups is on are never returned, nor counted.</summary>
    public Caller Caller { get; init; } = Caller.Anonymous;
}
