using System.ComponentModel.DataAnnotations;
using SemanticSearch.Embedded.Indexing;

namespace SemanticSearch.Configuration;

/// <summary>Ranking of the embedded index (settings <c>Index:Embedded:*</c>); defaults are tuned in docs/benchmarks.md.</summary>
public sealed class EmbeddedIndexOptions
{
    /// <summary>Chunks each of keyword and vector search puts into hybrid fusion (at least the requested top).</summary>
    [Range(1, 10_000)]
    public int CandidateDepth { get; set; } = EmbeddedIndexSettings.Default.CandidateDepth;

    /// <summary>The reciprocal-rank-fusion constant k: smaller lets the first few ranks of each list dominate.</summary>
    [Range(0, 10_000)]
    public int RrfK { get; set; } = EmbeddedIndexSettings.Default.RrfK;

    /// <summary>Weight of the keyword (BM25) ranking in hybrid fusion; raise it for corpora of exact terms (codes, names).</summary>
    [Range(0.0, 100.0)]
    public double KeywordWeight { get; set; } = EmbeddedIndexSettings.Default.KeywordWeight;

    /// <summary>Weight of the vector ranking in hybrid fusion.</summary>
    [Range(0.0, 100.0)]
    public double VectorWeight { get; set; } = EmbeddedIndexSettings.Default.VectorWeight;

    public EmbeddedIndexSettings ToSettings() => new(CandidateDepth, RrfK, KeywordWeight, VectorWeight);
}
