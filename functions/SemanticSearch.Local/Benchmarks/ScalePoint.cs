using System.Text.Json.Serialization;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>
/// Search latency of the embedded index at one size (median over repeats of each run's percentile): every mode with the
/// exact vector scan, and the vector search again through the quantized scan with its recall@10 against the exact one.
/// Memory is the process's after the exact searches (the bench process also holds the encoder and the HTTP server).
/// </summary>
public sealed record ScalePoint(
    [property: JsonPropertyName("chunks")] int Chunks,
    [property: JsonPropertyName("buildSeconds")] double BuildSeconds,
    [property: JsonPropertyName("keywordP50Ms")] Summary KeywordP50,
    [property: JsonPropertyName("keywordP99Ms")] Summary KeywordP99,
    [property: JsonPropertyName("vectorP50Ms")] Summary VectorP50,
    [property: JsonPropertyName("vectorP99Ms")] Summary VectorP99,
    [property: JsonPropertyName("hybridP50Ms")] Summary HybridP50,
    [property: JsonPropertyName("hybridP99Ms")] Summary HybridP99,
    [property: JsonPropertyName("workingSetMiB")] double WorkingSetMiB,
    [property: JsonPropertyName("gcHeapMiB")] double GcHeapMiB = 0,
    [property: JsonPropertyName("quantizedVectorP50Ms")] Summary? QuantizedVectorP50 = null,
    [property: JsonPropertyName("quantizedVectorP99Ms")] Summary? QuantizedVectorP99 = null,
    [property: JsonPropertyName("quantizedRecallAt10")] double? QuantizedRecallAt10 = null);
