using System.Text.Json.Serialization;

namespace SemanticSearch.AzureBackends.AzureAISearch;

/// <summary>
/// A chunk as an Azure AI Search document. Unset properties are left out of the JSON, so the same type serves an
/// upload (every field), a merge that only moves a chunk (<c>id</c>, <c>ordinal</c>) and a delete (<c>id</c>).
/// </summary>
public sealed class SearchChunkDocument
{
    public const string IdField = "id";
    public const string DocumentIdField = "documentId";
    public const string OrdinalField = "ordinal";
    public const string ContentField = "content";
    public const string VectorField = "vector";

    [JsonPropertyName(IdField)]
    public string Id { get; set; } = string.Empty;

    [JsonPropertyName(DocumentIdField)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DocumentId { get; set; }

    [JsonPropertyName(OrdinalField)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Ordinal { get; set; }

    [JsonPropertyName(ContentField)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Content { get; set; }

    [JsonPropertyName(VectorField)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float[]? Vector { get; set; }
}
