using System.Text.Json.Serialization;
using SemanticSearch.Diagnostics;
using SemanticSearch.Embeddings;

namespace SemanticSearch.Http;

/// <summary>The JSON of <c>/api/health</c>: which encoder and backends answer, and the counters since start.</summary>
public sealed record HealthResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("encoder")] EncoderDescription Encoder,
    [property: JsonPropertyName("backends")] BackendDescription Backends,
    [property: JsonPropertyName("indexGeneration")] long? IndexGeneration,
    [property: JsonPropertyName("counters")] MetricsSnapshot Counters,
    [property: JsonPropertyName("error")] string? Error = null);

public sealed record BackendDescription(
    [property: JsonPropertyName("index")] string Index,
    [property: JsonPropertyName("embeddingCache")] string EmbeddingCache,
    [property: JsonPropertyName("resultCache")] string ResultCache,
    [property: JsonPropertyName("documentStatus")] string DocumentStatus);
