using System.Text.Json.Serialization;

namespace SemanticSearch.Http;

/// <summary>The JSON of <c>/api/documents</c>: one page, and the token for the next one (null on the last page).</summary>
public sealed record DocumentListResponse(
    [property: JsonPropertyName("documents")] IReadOnlyList<DocumentStatusResponse> Documents,
    [property: JsonPropertyName("continuationToken")] string? ContinuationToken);
