using System.Text.Json.Serialization;

namespace SemanticSearch.Query;

/// <summary>
/// One hit as a citation: the chunk's text and score, where it came from (title, source, url, content type, heading
/// path, PDF page, modification time, tags) and 1–3 highlighted fragments whose only markup is <c>&lt;em&gt;</c>.
/// </summary>
public sealed record SearchResult(
    [property: JsonPropertyName("documentId")] string DocumentId,
    [property: JsonPropertyName("chunkId")] string ChunkId,
    [property: JsonPropertyName("content")] string Content,
    [property: JsonPropertyName("score")] double Score)
{
    [JsonPropertyName("title")]
    public string Title { get; init; } = string.Empty;

    [JsonPropertyName("source")]
    public string Source { get; init; } = string.Empty;

    /// <summary>The blob's URL in Azure; absent where documents have no address of their own (a local folder).</summary>
    [JsonPropertyName("url")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Url { get; init; }

    [JsonPropertyName("contentType")]
    public string ContentType { get; init; } = string.Empty;

    [JsonPropertyName("headings")]
    public IReadOnlyList<string> Headings { get; init; } = [];

    /// <summary>The 1-based PDF page; null for formats without pages.</summary>
    [JsonPropertyName("page")]
    public int? Page { get; init; }

    [JsonPropertyName("modifiedAt")]
    public DateTimeOffset? ModifiedAt { get; init; }

    [JsonPropertyName("tags")]
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Fragments with the query's matching terms in &lt;em&gt;…&lt;/em&gt;; everything else is HTML-escaped.</summary>
    [JsonPropertyName("highlights")]
    public IReadOnlyList<string> Highlights { get; init; } = [];

    /// <summary>Value equality, lists included (a result read back from a shared cache equals the one written).</summary>
    public bool Equals(SearchResult? other) =>
        other is not null
        && DocumentId == other.DocumentId && ChunkId == other.ChunkId && Content == other.Content && Score.Equals(other.Score)
        && Title == other.Title && Source == other.Source && Url == other.Url && ContentType == other.ContentType
        && Page == other.Page && ModifiedAt == other.ModifiedAt
        && Headings.SequenceEqual(other.Headings) && Tags.SequenceEqual(other.Tags) && Highlights.SequenceEqual(other.Highlights);

    public override int GetHashCode() => HashCode.Combine(DocumentId, ChunkId, Score);
}
