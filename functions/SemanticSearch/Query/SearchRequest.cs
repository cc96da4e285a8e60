using SemanticSearch.Indexing;

namespace SemanticSearch.Query;

/// <summary>A validated search: use <see cref="SearchRequestParser"/> to build one from user input.</summary>
public sealed record SearchRequest(string Query, int Top, RetrievalMode Mode)
{
    public const int MaxQueryLength = 1000;
    public const int MinTop = 1;
    public const int MaxTop = 50;
    public const int DefaultTop = 5;
    public const RetrievalMode DefaultMode = RetrievalMode.Hybrid;
}
