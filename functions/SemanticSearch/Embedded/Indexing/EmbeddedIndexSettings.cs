namespace SemanticSearch.Embedded.Indexing;

/// <summary>How the embedded index scans vectors.</summary>
public enum VectorSearchMode
{
    /// <summary>Exact up to <see cref="EmbeddedIndexSettings.QuantizedAbove"/> chunks, quantized above.</summary>
    Auto,

    /// <summary>One SIMD dot product per allowed chunk: exact, linear in the index size.</summary>
    Exact,

    /// <summary>A 1-bit pre-filter (Hamming distance) picks candidates that are then scored exactly.</summary>
    Quantized,
}

/// <summary>Tuning of the embedded index's ranking (measured choices: docs/benchmarks.md).</summary>
/// <param name="CandidateDepth">
/// How many results each of keyword and vector search contributes to fusion in hybrid mode (at least skip + top). 100
/// rather than 50: a document's chunks compete for places in each list, and a deeper pool found more relevant documents
/// on SciFact (+0.004 nDCG@10 with 256-token chunks) at no measurable cost.
/// </param>
/// <param name="RrfK">
/// The reciprocal-rank-fusion constant. 10, not the paper's (and Azure AI Search's) 60: fusing just two lists, a
/// smaller k lets what either list ranks first count for more than a middling rank in both. On SciFact (train split)
/// k = 10 beat k = 60 in every paired comparison we ran, with 256- and 512-token chunks (docs/benchmarks.md).
/// </param>
/// <param name="KeywordWeight">
/// Weight of the keyword (BM25) ranking in hybrid fusion: 1.001, i.e. equal weights with exact ties settled in favour of
/// the keyword list. With 1 : 1 every chunk ranked i-th by keyword and j-th by vector ties with one ranked j-th and
/// i-th, and the chunk-id order decided those ties: SciFact (train) hybrid nDCG@10 0.7210. Breaking them towards the
/// keyword list (1.001, which reorders nothing that was not tied) scored 0.7257; a real lean (1.2) 0.7238
/// (docs/benchmarks.md). The bias is a weight rather than a tie rule in the sort, so equal scores stay ordered by chunk
/// id as the paging contract says.
/// </param>
/// <param name="VectorWeight">Weight of the vector ranking in hybrid fusion.</param>
/// <param name="VectorSearch">
/// Exact scan (the default), quantized pre-filter, or chosen by size (<see cref="VectorSearchMode"/>). Exact by default
/// because the quantized scan's recall depends on the data: at 1,000,000 of the bench's synthetic chunks (256 passages,
/// ~3,900 noisy copies of each) it kept 0.854 of the exact top 10 with 8,000 candidates, and needed 32,000 — no faster
/// than exact — for 0.976; on clustered real vectors the prototype kept 0.99 (docs/benchmarks.md).
/// </param>
/// <param name="QuantizedAbove">With <see cref="VectorSearchMode.Auto"/>, the chunk count above which the quantized scan is used.</param>
/// <param name="RerankCandidates">
/// Candidates the quantized scan scores exactly (at least ten times the depth asked for): 8,000 gave recall@10 0.99
/// against the exact scan at 1M clustered chunks in the prototype (docs/benchmarks.md).
/// </param>
/// <param name="WriterLockTimeout">How long a process waits for another process's writer to let go before it fails (default 30 s).</param>
public sealed record EmbeddedIndexSettings(
    int CandidateDepth = 100,
    int RrfK = EmbeddedIndexSettings.DefaultRrfK,
    double KeywordWeight = EmbeddedIndexSettings.DefaultKeywordWeight,
    double VectorWeight = 1.0,
    VectorSearchMode VectorSearch = VectorSearchMode.Exact,
    int QuantizedAbove = EmbeddedIndexSettings.DefaultQuantizedAbove,
    int RerankCandidates = 8_000,
    TimeSpan? WriterLockTimeout = null)
{
    public const int DefaultRrfK = 10;

    public const double DefaultKeywordWeight = 1.001;

    public const int DefaultQuantizedAbove = 300_000;

    public static readonly TimeSpan DefaultWriterLockTimeout = TimeSpan.FromSeconds(30);

    public static EmbeddedIndexSettings Default { get; } = new();

    /// <summary>The wait for another writer (<see cref="DefaultWriterLockTimeout"/> unless set).</summary>
    public TimeSpan EffectiveWriterLockTimeout => WriterLockTimeout ?? DefaultWriterLockTimeout;

    /// <summary>The candidates the quantized scan rescores for an index of <paramref name="chunks"/> chunks, or null for the exact scan.</summary>
    public int? RerankPoolFor(int chunks) => VectorSearch switch
    {
        VectorSearchMode.Exact => null,
        VectorSearchMode.Quantized => RerankCandidates,
        _ => chunks > QuantizedAbove ? RerankCandidates : null,
    };
}
