using System.Text.Json.Serialization;

namespace SemanticSearch.Ingestion;

/// <summary>
/// What a document says about itself and where it came from: its citation (title, source, url, content type,
/// modification time) and what filters and access trimming read (tags, the groups allowed to read it). Stored with
/// every chunk of the document, so a hit is a citation without another read.
/// </summary>
/// <param name="Title">Front matter, &lt;title&gt;, docx/pdf document properties, else the first heading, else the file name.</param>
/// <param name="Source">The path under the docs folder or the blob name, '/'-separated (the document id).</param>
/// <param name="Url">Where a reader can open it (the blob's URL in Azure); null when there is no such address.</param>
/// <param name="ContentType">The MIME type of the format ("text/markdown", "application/pdf", …).</param>
/// <param name="ModifiedAt">When the source last changed the document, if it knows.</param>
/// <param name="Tags">Lower-cased, distinct, sorted: front matter, &lt;meta name="keywords"&gt;, docx/pdf keywords, blob metadata.</param>
/// <param name="Acl">The groups allowed to read it, distinct and sorted; empty means every caller may.</param>
public sealed record DocumentMetadata(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("contentType")] string ContentType,
    [property: JsonPropertyName("modifiedAt")] DateTimeOffset? ModifiedAt,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags,
    [property: JsonPropertyName("acl")] IReadOnlyList<string> Acl)
{
    /// <summary>The file extension without the dot, lower case ("md", "pdf"); what the <c>type</c> filter matches.</summary>
    [JsonIgnore]
    public string Type => DocumentPaths.TypeOf(Source);

    /// <summary>Every folder the source sits in, outermost first ("a", "a/b" for "a/b/c.md"); what the <c>folder</c> filter matches.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Folders => DocumentPaths.FoldersOf(Source);

    /// <summary>Metadata from the id alone (title = file name), for documents ingested without more to say.</summary>
    public static DocumentMetadata Minimal(string documentId) =>
        new(DocumentPaths.FileNameOf(documentId), documentId, null, ContentTypes.Of(documentId), null, [], []);

    /// <summary>Whether the groups given may read this document.</summary>
    public bool IsVisibleTo(IReadOnlyCollection<string> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        return Acl.Count == 0 || Acl.Any(groups.Contains);
    }

    public bool Equals(DocumentMetadata? other) =>
        other is not null
        && Title == other.Title && Source == other.Source && Url == other.Url && ContentType == other.ContentType
        && ModifiedAt == other.ModifiedAt && Tags.SequenceEqual(other.Tags) && Acl.SequenceEqual(other.Acl);

    public override int GetHashCode() => HashCode.Combine(Title, Source, Url, ContentType, ModifiedAt, Tags.Count, Acl.Count);
}
