namespace SemanticSearch.Indexing;

/// <summary>
/// One ranked chunk. <see cref="Score"/> is the mode's own score: BM25 (higher is better) for keyword,
/// cosine similarity for vector, the reciprocal-rank-fusion sum for hybrid.
/// </summary>
public sealed record SearchHit(string DocumentId, string ChunkId, string Content, double Score);
