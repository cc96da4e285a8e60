using System.Text.Json.Serialization;

namespace SemanticSearch.Diagnostics;

/// <summary>Which backend serves each concern, by short name ("embedded", "sqlite", "cosmos", …), as health output shows it.</summary>
public sealed record BackendDescription(
    [property: JsonPropertyName("index")] string Index,
    [property: JsonPropertyName("embeddingCache")] string EmbeddingCache,
    [property: JsonPropertyName("resultCache")] string ResultCache,
    [property: JsonPropertyName("documentStatus")] string DocumentStatus);
