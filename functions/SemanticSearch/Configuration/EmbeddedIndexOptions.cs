using System.ComponentModel.DataAnnotations;
using SemanticSearch.Embedded.Indexing;

namespace SemanticSearch.Configuration;

/// <summary>Ranking and vector scan of the embedded index (settings <c>Index:Embedded:*</c>); defaults are measured in docs/benchmarks.md.</summary>
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

    /// <summary><c>Exact</c>, <c>Quantized</c> (1-bit pre-filter, exact rescoring), or <c>Auto</c>: quantized above <see cref="QuantizedAbove"/> chunks.</summary>
    public VectorSearchMode VectorSearch { get; set; } = EmbeddedIndexSettings.Default.VectorSearch;

    /// <summary>With <c>VectorSearch</c> <c>Auto</c>, the chunk count above which vectors are scanned quantized.</summary>
    [Range(0, int.MaxValue)]
    public int QuantizedAbove { get; set; } = EmbeddedIndexSettings.Default.QuantizedAbove;

    /// <summary>Candidates the quantized scan rescores exactly.</summary>
    [Range(100, 1_000_000)]
    public int RerankCandidates { get; set; } = EmbeddedIndexSettings.Default.RerankCandidates;

    /// <summary>How long a process waits for another process writing the same index before it fails (default 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan? WriterLockTimeout { get; set; }

    public EmbeddedIndexSettings ToSettings() =>
        new(CandidateDepth, RrfK, KeywordWeight, VectorWeight, VectorSearch, QuantizedAbove, RerankCandidates, WriterLockTimeout);
}
