using System.Globalization;
using System.Text.Json.Serialization;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Http;

/// <summary>The JSON of <c>/api/documents</c> entries.</summary>
public sealed record DocumentStatusResponse(
    [property: JsonPropertyName("documentId")] string DocumentId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("chunks")] int Chunks,
    [property: JsonPropertyName("embeddingsComputed")] int EmbeddingsComputed,
    [property: JsonPropertyName("embeddingsReused")] int EmbeddingsReused,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("updatedAt")] string UpdatedAt)
{
    public static DocumentStatusResponse From(DocumentStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new(
            status.DocumentId,
            status.State.ToString().ToLowerInvariant(),
            status.Chunks,
            status.EmbeddingsComputed,
            status.EmbeddingsReused,
            status.Error,
            status.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }
}
