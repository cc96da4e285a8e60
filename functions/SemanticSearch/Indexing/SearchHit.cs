using SemanticSearch.Ingestion;

namespace SemanticSearch.Indexing;

/// <summary>
/// One ranked chunk with its citation. <see cref="Score"/> is the mode's own score: BM25 (higher is better) for
/// keyword, cosine similarity for vector, the reciprocal-rank-fusion sum for hybrid.
/// </summary>
public sealed record SearchHit(string DocumentId, string ChunkId, string Content, double Score)
{
    public DocumentMetadata Document { get; init; } = DocumentMetadata.Minimal(DocumentId);

    public IReadOnlyList<string> Headings { get; init; } = [];

    public int? Page { get; init; }

    /// <summary>1–3 fragments with the query's matching terms in &lt;em&gt;…&lt;/em&gt; and everything else HTML-escaped.</summary>
    public IReadOnlyList<string> Highlights { get; init; } = [];
}
