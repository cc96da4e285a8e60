using System.Text.Json.Serialization;
using SemanticSearch.Diagnostics;

namespace SemanticSearch.Http;

/// <summary>The JSON of <c>/api/health</c>: which embedding model ("encoder") and backends answer, and the counters since start.</summary>
public sealed record HealthResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("encoder")] EncoderResponse Encoder,
    [property: JsonPropertyName("backends")] BackendDescription Backends,
    [property: JsonPropertyName("indexGeneration")] long? IndexGeneration,
    [property: JsonPropertyName("counters")] MetricsSnapshot Counters,
    [property: JsonPropertyName("error")] string? Error = null);
