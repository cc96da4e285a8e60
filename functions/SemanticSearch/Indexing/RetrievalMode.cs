namespace SemanticSearch.Indexing;

public enum RetrievalMode
{
    /// <summary>BM25 and vector results fused with reciprocal rank fusion.</summary>
    Hybrid,
    /// <summary>Cosine similarity of the query embedding.</summary>
    Vector,
    /// <summary>BM25 full-text ranking only.</summary>
    Keyword,
}
