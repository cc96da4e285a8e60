using System.Text.Json.Serialization;

namespace SemanticSearch.Query;

/// <summary>The JSON body of <c>/api/search</c>; both hosts serve exactly this shape.</summary>
public sealed record SearchResponse(
    [property: JsonPropertyName("query")] string Query,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("cache")] string Cache,
    [property: JsonPropertyName("results")] IReadOnlyList<SearchResult> Results)
{
    [JsonIgnore]
    public bool CacheHit => Cache == "hit";
}

public sealed record SearchResult(
    [property: JsonPropertyName("documentId")] string DocumentId,
    [property: JsonPropertyName("chunkId")] string ChunkId,
    [property: JsonPropertyName("content")] string Content,
    [property: JsonPropertyName("score")] double Score);
