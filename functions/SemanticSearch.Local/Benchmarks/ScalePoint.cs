using System.Text.Json.Serialization;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>Search latency of the embedded index at one size (median over repeats of each run's percentile).</summary>
public sealed record ScalePoint(
    [property: JsonPropertyName("chunks")] int Chunks,
    [property: JsonPropertyName("buildSeconds")] double BuildSeconds,
    [property: JsonPropertyName("keywordP50Ms")] Summary KeywordP50,
    [property: JsonPropertyName("keywordP99Ms")] Summary KeywordP99,
    [property: JsonPropertyName("vectorP50Ms")] Summary VectorP50,
    [property: JsonPropertyName("vectorP99Ms")] Summary VectorP99,
    [property: JsonPropertyName("hybridP50Ms")] Summary HybridP50,
    [property: JsonPropertyName("hybridP99Ms")] Summary HybridP99,
    [property: JsonPropertyName("workingSetMiB")] double WorkingSetMiB);
