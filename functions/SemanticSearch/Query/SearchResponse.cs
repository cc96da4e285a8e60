using System.Text.Json.Serialization;

namespace SemanticSearch.Query;

/// <summary>The JSON body of <c>/api/search</c> (and of <c>search --json</c>); both hosts serve exactly this shape.</summary>
public sealed record SearchResponse(
    [property: JsonPropertyName("query")] string Query,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("top")] int Top,
    [property: JsonPropertyName("skip")] int Skip,
    [property: JsonPropertyName("cache")] string Cache,
    [property: JsonPropertyName("durationMs")] double DurationMs,
    [property: JsonPropertyName("results")] IReadOnlyList<SearchResult> Results)
{
    [JsonIgnore]
    public bool CacheHit => Cache == "hit";
}
