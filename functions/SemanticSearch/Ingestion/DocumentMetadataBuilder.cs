using SemanticSearch.Chunking;
using SemanticSearch.Extraction;

namespace SemanticSearch.Ingestion;

/// <summary>
/// A document's <see cref="DocumentMetadata"/>, built once per ingestion from what the source says of the bytes it
/// opened (<see cref="SourceDocument"/>) and what the file says of itself (<see cref="ExtractedDocument.Properties"/>).
/// </summary>
internal static class DocumentMetadataBuilder
{
    /// <summary>
    /// <list type="bullet">
    /// <item>Title: the file's own (front matter, &lt;title&gt;, docx/pdf properties), else its first heading, else the file name.</item>
    /// <item>Source: the document id; Url and ModifiedAt: the source's; ContentType: by the file extension.</item>
    /// <item>Tags: the file's ∪ the source's, lower-cased, distinct, sorted.</item>
    /// <item>
    /// Acl: the file's ∪ the source's, distinct, sorted. A union, because each list names groups its owner allows: the
    /// author (front matter) and whoever manages the storage (blob metadata) can each grant a group, and a document
    /// restricted by either stays restricted (empty only when neither restricts it). Neither can take away a group the
    /// other granted; to narrow access, edit both.
    /// </item>
    /// </list>
    /// </summary>
    public static DocumentMetadata Build(SourceDocument source, ExtractedDocument extracted)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(extracted);
        var properties = extracted.Properties;
        var title = MetadataValues.Title(properties.Title)
            ?? MetadataValues.Title(extracted.Blocks.FirstOrDefault(block => block.Kind == BlockKind.Heading)?.Text)
            ?? DocumentPaths.FileNameOf(source.Id);
        return new DocumentMetadata(
            title,
            source.Id,
            source.Url,
            ContentTypes.Of(source.Id),
            source.ModifiedAt,
            MetadataValues.Tags(properties.Tags.Concat(source.Tags)),
            MetadataValues.Groups(properties.Acl.Concat(source.Acl)));
    }

    /// <summary>
    /// The fingerprint recorded for "these exact bytes are already indexed": the bytes' hash, and — when the source says
    /// anything the index stores beside the text (url, tags, groups) — that too, so re-tagging a blob or changing its
    /// groups re-indexes it even though its bytes did not change. A source that says nothing keeps the plain hash.
    /// The modification time is left out: touching a file without changing it need not rewrite its chunks.
    /// </summary>
    public static string Fingerprint(ArraySegment<byte> bytes, SourceDocument source)
    {
        var hash = ContentHash.Of(bytes);
        if (source.Url is null && source.Tags.Count == 0 && source.Acl.Count == 0)
        {
            return hash;
        }
        var tags = string.Join('\u001e', MetadataValues.Tags(source.Tags));
        var groups = string.Join('\u001e', MetadataValues.Groups(source.Acl));
        return ContentHash.Of($"{hash}\u001f{source.Url}\u001f{tags}\u001f{groups}");
    }
}
