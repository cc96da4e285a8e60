namespace SemanticSearch.Diagnostics;

/// <summary>Totals since the process started.</summary>
public sealed record MetricsSnapshot(
    long SearchCacheHits,
    long SearchCacheMisses,
    double? SearchCacheHitRatio,
    long EmbeddingsComputed,
    long EmbeddingsReused,
    double? EmbeddingReuseRatio,
    long DocumentsIndexed,
    long DocumentsUnchanged,
    long DocumentsFailed,
    long SearchesShed);
