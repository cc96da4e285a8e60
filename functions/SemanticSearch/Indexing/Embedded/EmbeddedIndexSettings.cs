namespace SemanticSearch.Indexing.Embedded;

/// <summary>Tuning of the embedded index's ranking (measured choices: docs/benchmarks.md).</summary>
/// <param name="CandidateDepth">How many results each of keyword and vector search contributes to fusion in hybrid mode (at least the requested top).</param>
/// <param name="RrfK">The reciprocal-rank-fusion constant.</param>
/// <param name="KeywordWeight">Weight of the keyword (BM25) ranking in hybrid fusion.</param>
/// <param name="VectorWeight">Weight of the vector ranking in hybrid fusion.</param>
public sealed record EmbeddedIndexSettings(
    int CandidateDepth = 50,
    int RrfK = ReciprocalRankFusion.DefaultK,
    double KeywordWeight = 1.0,
    double VectorWeight = 1.0)
{
    public static EmbeddedIndexSettings Default { get; } = new();
}
