namespace SemanticSearch.Embedded.Indexing;

/// <summary>Tuning of the embedded index's ranking (measured choices: docs/benchmarks.md).</summary>
/// <param name="CandidateDepth">
/// How many results each of keyword and vector search contributes to fusion in hybrid mode (at least the requested
/// top). 100 rather than 50: a document's chunks compete for places in each list, and a deeper pool found more relevant
/// documents on SciFact (+0.004 nDCG@10 with 256-token chunks) at no measurable cost — FTS5 scores every match whatever
/// the limit, and only the fused top is read back.
/// </param>
/// <param name="RrfK">
/// The reciprocal-rank-fusion constant. 10, not the paper's (and Azure AI Search's) 60: fusing just two lists, a
/// smaller k lets what either list ranks first count for more than a middling rank in both. On SciFact (train split)
/// k = 10 beat k = 60 in every paired comparison we ran, with 256- and 512-token chunks (docs/benchmarks.md).
/// </param>
/// <param name="KeywordWeight">Weight of the keyword (BM25) ranking in hybrid fusion.</param>
/// <param name="VectorWeight">Weight of the vector ranking in hybrid fusion.</param>
public sealed record EmbeddedIndexSettings(
    int CandidateDepth = 100,
    int RrfK = EmbeddedIndexSettings.DefaultRrfK,
    double KeywordWeight = 1.0,
    double VectorWeight = 1.0)
{
    public const int DefaultRrfK = 10;

    public static EmbeddedIndexSettings Default { get; } = new();
}
