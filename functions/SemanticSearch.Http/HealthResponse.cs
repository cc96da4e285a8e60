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
    [property: JsonPropertyName("error")] string? Error = null)
{
    /// <summary>What the components report when unhealthy: since when each fails and how often (absent when healthy).</summary>
    [JsonPropertyName("problems")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ReadinessProblem>? Problems { get; init; }
}
