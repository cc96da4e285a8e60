using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SemanticSearch.Chunking;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;

namespace SemanticSearch.AzureBackends.AzureAISearch;

/// <summary>
/// A chunk as an Azure AI Search document: the text, the vector, and the citation every hit carries (the document's
/// metadata, the heading path, the page) with what filters and access trimming read (tags, folders, type, modification
/// time, ACL). Unset properties are left out of the JSON, so the same type serves an upload (every field), a merge
/// that only moves a chunk (<c>id</c>, <c>ordinal</c>) and a delete (<c>id</c>); a document with
/// <see cref="HasMetadata"/> writes every metadata field, nulls included, because a merge leaves out fields untouched
/// and only an explicit null clears one (a url or page that is gone).
/// </summary>
[JsonConverter(typeof(SearchChunkDocumentConverter))]
public sealed class SearchChunkDocument
{
    public const string IdField = "id";
    public const string DocumentIdField = "documentId";
    public const string OrdinalField = "ordinal";
    public const string ContentField = "content";
    public const string VectorField = "vector";
    public const string TitleField = "title";
    public const string SourceField = "source";
    public const string UrlField = "url";
    public const string ContentTypeField = "contentType";
    public const string HeadingsField = "headings";
    public const string PageField = "page";
    public const string ModifiedAtField = "modifiedAt";
    public const string TagsField = "tags";
    public const string FoldersField = "folders";
    public const string TypeField = "type";
    public const string AclField = "acl";
    public const string AclPublicField = "aclPublic";
    public const string MetadataHashField = "metadataHash";

    /// <summary>
    /// Bumped when what <see cref="MetadataHashOf"/> covers changes, so every kept chunk's metadata is written again at
    /// its document's next ingestion.
    /// </summary>
    private const string MetadataVersion = "m1";

    public string Id { get; set; } = string.Empty;

    public string? DocumentId { get; set; }

    public int? Ordinal { get; set; }

    public string? Content { get; set; }

    public float[]? Vector { get; set; }

    /// <summary>Whether the metadata fields below are this document's whole metadata (written with their nulls).</summary>
    public bool HasMetadata { get; set; }

    public string? Title { get; set; }

    public string? Source { get; set; }

    public string? Url { get; set; }

    public string? ContentType { get; set; }

    public IReadOnlyList<string>? Headings { get; set; }

    public int? Page { get; set; }

    public DateTimeOffset? ModifiedAt { get; set; }

    public IReadOnlyList<string>? Tags { get; set; }

    /// <summary>Every folder the source sits in (<see cref="DocumentMetadata.Folders"/>): what the folder filter matches.</summary>
    public IReadOnlyList<string>? Folders { get; set; }

    public string? Type { get; set; }

    /// <summary>The groups allowed to read the chunk; hidden in the index (never sent back), only filtered on.</summary>
    public IReadOnlyList<string>? Acl { get; set; }

    /// <summary>True when <see cref="Acl"/> is empty: every caller may read the chunk. A chunk written before the field existed has null and is shown to no one.</summary>
    public bool? AclPublic { get; set; }

    /// <summary>A hash of every metadata field (ACL included), read back to tell whether a kept chunk's metadata changed.</summary>
    public string? MetadataHash { get; set; }

    /// <summary>The whole chunk, for an upload.</summary>
    public static SearchChunkDocument Upload(IndexedChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var document = Metadata(chunk);
        document.DocumentId = chunk.DocumentId;
        document.Content = chunk.Content;
        document.Vector = chunk.Vector.ToArray();
        return document;
    }

    /// <summary>A kept chunk's ordinal and metadata, for a merge: everything but the text and vector, which its id fixes.</summary>
    public static SearchChunkDocument Metadata(IndexedChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var metadata = chunk.Document;
        return new SearchChunkDocument
        {
            Id = chunk.ChunkId,
            Ordinal = chunk.Ordinal,
            HasMetadata = true,
            Title = metadata.Title,
            Source = metadata.Source,
            Url = metadata.Url,
            ContentType = metadata.ContentType,
            Headings = chunk.Headings,
            Page = chunk.Page,
            ModifiedAt = metadata.ModifiedAt,
            Tags = metadata.Tags,
            Folders = metadata.Folders,
            Type = metadata.Type,
            Acl = metadata.Acl,
            AclPublic = metadata.Acl.Count == 0,
            MetadataHash = MetadataHashOf(chunk),
        };
    }

    /// <summary>
    /// A fingerprint of what a chunk's metadata fields hold. Stored with the chunk and read back when its document is
    /// replaced, so only kept chunks whose metadata changed are merged (and the generation bumped for them), while the
    /// ACL itself stays hidden.
    /// </summary>
    public static string MetadataHashOf(IndexedChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var metadata = chunk.Document;
        const char unit = '\u001f';
        const char record = '\u001e';
        var builder = new StringBuilder(MetadataVersion).Append(unit)
            .Append(metadata.Title).Append(unit)
            .Append(metadata.Source).Append(unit)
            .Append(metadata.Url ?? "\0").Append(unit)
            .Append(metadata.ContentType).Append(unit)
            .Append(metadata.ModifiedAt?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "\0").Append(unit)
            .Append(chunk.Page?.ToString(CultureInfo.InvariantCulture) ?? "\0").Append(unit)
            .AppendJoin(record, metadata.Tags).Append(unit)
            .AppendJoin(record, metadata.Acl).Append(unit)
            .AppendJoin(record, chunk.Headings);
        return ContentHash.Of(builder.ToString())[..32];
    }

    /// <summary>The document's metadata as stored, for a hit; the ACL is never read back.</summary>
    public DocumentMetadata ToMetadata()
    {
        var documentId = DocumentId ?? string.Empty;
        var minimal = DocumentMetadata.Minimal(documentId);
        return new DocumentMetadata(
            Title ?? minimal.Title,
            Source ?? minimal.Source,
            Url,
            ContentType ?? minimal.ContentType,
            ModifiedAt,
            Tags ?? [],
            []);
    }
}

/// <summary>
/// Writes <see cref="SearchChunkDocument"/> with exactly the fields it has (see there) and reads the fields of a
/// result, skipping whatever else the service sends (<c>@search.score</c>, <c>@search.highlights</c>).
/// </summary>
internal sealed class SearchChunkDocumentConverter : JsonConverter<SearchChunkDocument>
{
    public override SearchChunkDocument Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"A search document must be a JSON object, not {reader.TokenType}.");
        }
        var document = new SearchChunkDocument();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }
            switch (name)
            {
                case SearchChunkDocument.IdField: document.Id = reader.GetString() ?? string.Empty; break;
                case SearchChunkDocument.DocumentIdField: document.DocumentId = reader.GetString(); break;
                case SearchChunkDocument.OrdinalField: document.Ordinal = reader.GetInt32(); break;
                case SearchChunkDocument.ContentField: document.Content = reader.GetString(); break;
                case SearchChunkDocument.TitleField: document.Title = reader.GetString(); break;
                case SearchChunkDocument.SourceField: document.Source = reader.GetString(); break;
                case SearchChunkDocument.UrlField: document.Url = reader.GetString(); break;
                case SearchChunkDocument.ContentTypeField: document.ContentType = reader.GetString(); break;
                case SearchChunkDocument.HeadingsField: document.Headings = ReadStrings(ref reader); break;
                case SearchChunkDocument.PageField: document.Page = reader.GetInt32(); break;
                case SearchChunkDocument.ModifiedAtField: document.ModifiedAt = reader.GetDateTimeOffset(); break;
                case SearchChunkDocument.TagsField: document.Tags = ReadStrings(ref reader); break;
                case SearchChunkDocument.FoldersField: document.Folders = ReadStrings(ref reader); break;
                case SearchChunkDocument.TypeField: document.Type = reader.GetString(); break;
                case SearchChunkDocument.AclPublicField: document.AclPublic = reader.GetBoolean(); break;
                case SearchChunkDocument.MetadataHashField: document.MetadataHash = reader.GetString(); break;
                default: reader.Skip(); break;
            }
        }
        return document;
    }

    public override void Write(Utf8JsonWriter writer, SearchChunkDocument value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString(SearchChunkDocument.IdField, value.Id);
        if (value.DocumentId is not null)
        {
            writer.WriteString(SearchChunkDocument.DocumentIdField, value.DocumentId);
        }
        if (value.Ordinal is { } ordinal)
        {
            writer.WriteNumber(SearchChunkDocument.OrdinalField, ordinal);
        }
        if (value.Content is not null)
        {
            writer.WriteString(SearchChunkDocument.ContentField, value.Content);
        }
        if (value.Vector is not null)
        {
            writer.WriteStartArray(SearchChunkDocument.VectorField);
            foreach (var component in value.Vector)
            {
                writer.WriteNumberValue(component);
            }
            writer.WriteEndArray();
        }
        if (value.HasMetadata)
        {
            WriteString(writer, SearchChunkDocument.TitleField, value.Title);
            WriteString(writer, SearchChunkDocument.SourceField, value.Source);
            WriteString(writer, SearchChunkDocument.UrlField, value.Url);
            WriteString(writer, SearchChunkDocument.ContentTypeField, value.ContentType);
            WriteStrings(writer, SearchChunkDocument.HeadingsField, value.Headings);
            if (value.Page is { } page)
            {
                writer.WriteNumber(SearchChunkDocument.PageField, page);
            }
            else
            {
                writer.WriteNull(SearchChunkDocument.PageField);
            }
            if (value.ModifiedAt is { } modified)
            {
                // UTC, ISO 8601 with the offset the Edm.DateTimeOffset type requires.
                writer.WriteString(SearchChunkDocument.ModifiedAtField, modified.ToUniversalTime());
            }
            else
            {
                writer.WriteNull(SearchChunkDocument.ModifiedAtField);
            }
            WriteStrings(writer, SearchChunkDocument.TagsField, value.Tags);
            WriteStrings(writer, SearchChunkDocument.FoldersField, value.Folders);
            WriteString(writer, SearchChunkDocument.TypeField, value.Type);
            WriteStrings(writer, SearchChunkDocument.AclField, value.Acl);
            writer.WriteBoolean(SearchChunkDocument.AclPublicField, value.AclPublic ?? (value.Acl is null || value.Acl.Count == 0));
            WriteString(writer, SearchChunkDocument.MetadataHashField, value.MetadataHash);
        }
        writer.WriteEndObject();
    }

    private static List<string> ReadStrings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Expected an array of strings, not {reader.TokenType}.");
        }
        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.GetString() is { } value)
            {
                values.Add(value);
            }
        }
        return values;
    }

    private static void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>Collections are written empty rather than null: a filter's <c>any</c> over an empty collection is simply false.</summary>
    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string>? values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values ?? [])
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }
}
