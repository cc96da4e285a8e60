namespace SemanticSearch.Indexing.Embedded;

/// <summary>Tuning of the embedded index's ranking.</summary>
/// <param name="CandidateDepth">How many results each of keyword and vector search contributes to fusion in hybrid mode (at least the requested top).</param>
/// <param name="RrfK">The reciprocal-rank-fusion constant.</param>
public sealed record EmbeddedIndexSettings(int CandidateDepth = 50, int RrfK = ReciprocalRankFusion.DefaultK)
{
    public static EmbeddedIndexSettings Default { get; } = new();
}
