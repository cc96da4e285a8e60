using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Lucene.Net.Documents;
using Lucene.Net.Util;
using SemanticSearch.Chunking;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Embedded.Indexing;

/// <summary>
/// One chunk as one Lucene document: its text (BM25), its citation (stored, so a hit needs no other read), the terms the
/// filters match (indexed, never stored), its vector (binary doc values, loaded per segment by <see cref="SegmentVectors"/>)
/// and a fingerprint of everything but the vector, which tells a re-ingested chunk that only moved or got new metadata.
/// </summary>
internal static class ChunkFields
{
    public const string ChunkId = "chunk_id";
    public const string DocumentId = "doc_id";
    public const string Content = "content";
    public const string Tag = "tag";
    public const string Folder = "folder";
    public const string Type = "type";
    public const string Group = "group";
    public const string Public = "public";
    public const string PublicValue = "1";
    public const string ModifiedAt = "modified_ticks";
    public const string Vector = "vector";
    private const string Ordinal = "ordinal";
    private const string Metadata = "document";
    private const string Heading = "heading";
    private const string Page = "page";
    private const string Fingerprint = "fingerprint";

    /// <summary>Stored fields a hit reads.</summary>
    public static readonly ISet<string> HitFields = new HashSet<string>(StringComparer.Ordinal)
    {
        ChunkId, DocumentId, Content, Metadata, Heading, Page,
    };

    /// <summary>Stored fields a replacement compares.</summary>
    public static readonly ISet<string> IdentityFields = new HashSet<string>(StringComparer.Ordinal) { ChunkId, Fingerprint };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public static Document ToDocument(IndexedChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var metadata = chunk.Document;
        var document = new Document
        {
            new StringField(ChunkId, chunk.ChunkId, Field.Store.YES),
            new StringField(DocumentId, chunk.DocumentId, Field.Store.YES),
            new StoredField(Ordinal, chunk.Ordinal),
            new TextField(Content, chunk.Content, Field.Store.YES),
            new StoredField(Metadata, JsonSerializer.Serialize(metadata, Json)),
            new StoredField(Fingerprint, FingerprintOf(chunk)),
            new BinaryDocValuesField(Vector, new BytesRef(MemoryMarshal.AsBytes(chunk.Vector.Span).ToArray())),
        };
        foreach (var heading in chunk.Headings)
        {
            document.Add(new StoredField(Heading, heading));
        }
        if (chunk.Page is int page)
        {
            document.Add(new StoredField(Page, page));
        }

        // Filter terms. Every enclosing folder is a term, so a folder filter is one exact term on whole segments.
        foreach (var tag in metadata.Tags.Select(NormalizeTag).Distinct(StringComparer.Ordinal))
        {
            document.Add(new StringField(Tag, tag, Field.Store.NO));
        }
        foreach (var folder in metadata.Folders)
        {
            document.Add(new StringField(Folder, folder, Field.Store.NO));
        }
        if (metadata.Type.Length > 0)
        {
            document.Add(new StringField(Type, metadata.Type, Field.Store.NO));
        }
        if (metadata.ModifiedAt is { } modified)
        {
            document.Add(new Int64Field(ModifiedAt, modified.UtcTicks, Field.Store.NO));
        }
        if (metadata.Acl.Count == 0)
        {
            document.Add(new StringField(Public, PublicValue, Field.Store.NO));
        }
        foreach (var group in metadata.Acl.Distinct(StringComparer.Ordinal))
        {
            document.Add(new StringField(Group, group, Field.Store.NO));
        }
        return document;
    }

    public static SearchHit ToHit(Document stored, double score, IReadOnlyList<string> highlights)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var documentId = stored.Get(DocumentId, CultureInfo.InvariantCulture) ?? string.Empty;
        var metadata = stored.Get(Metadata, CultureInfo.InvariantCulture) is { } json
            ? JsonSerializer.Deserialize<DocumentMetadata>(json, Json) ?? DocumentMetadata.Minimal(documentId)
            : DocumentMetadata.Minimal(documentId);
        return new SearchHit(
            documentId,
            stored.Get(ChunkId, CultureInfo.InvariantCulture) ?? string.Empty,
            stored.Get(Content, CultureInfo.InvariantCulture) ?? string.Empty,
            score)
        {
            Document = metadata,
            Headings = stored.GetValues(Heading, CultureInfo.InvariantCulture),
            Page = stored.GetField(Page)?.GetInt32Value(),
            Highlights = highlights,
        };
    }

    public static (string ChunkId, string Fingerprint) IdentityOf(Document stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return (stored.Get(ChunkId, CultureInfo.InvariantCulture) ?? string.Empty, stored.Get(Fingerprint, CultureInfo.InvariantCulture) ?? string.Empty);
    }

    /// <summary>Everything a search returns or filters on, but the vector (the chunk id already stands for its text).</summary>
    public static string FingerprintOf(IndexedChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        return ContentHash.Of(JsonSerializer.Serialize(new object?[] { chunk.Ordinal, chunk.Content, chunk.Headings, chunk.Page, chunk.Document }, Json));
    }

    public static string NormalizeTag(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return tag.Trim().ToLowerInvariant();
    }
}
