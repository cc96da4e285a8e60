using SemanticSearch.Embedded.Indexing;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Tests.Indexing;

/// <summary>Chunks with metadata, queries with filters, and an embedded index in a temporary folder, for the index's tests.</summary>
internal static class EmbeddedIndexFixture
{
    public const int Dimensions = 64;

    public static readonly VectorSpace Encoder = new("hashing-test", Dimensions);

    public static async Task<EmbeddedSearchIndex> OpenAsync(string folder, EmbeddedIndexSettings? settings = null)
    {
        var index = new EmbeddedSearchIndex(folder, settings);
        await index.InitializeAsync(Encoder, CancellationToken.None);
        return index;
    }

    public static DocumentMetadata Metadata(
        string source, IReadOnlyList<string>? tags = null, IReadOnlyList<string>? acl = null, DateTimeOffset? modifiedAt = null, string? title = null) =>
        new(title ?? DocumentPaths.FileNameOf(source), source, null, ContentTypes.Of(source), modifiedAt, tags ?? [], acl ?? []);

    /// <summary>A chunk of a document; its id depends on the document, the text and the ordinal, as the chunker's does.</summary>
    public static IndexedChunk Chunk(string documentId, int ordinal, string text, DocumentMetadata? metadata = null) =>
        new($"{documentId}#{ordinal}", documentId, ordinal, text, HashingEmbeddingGenerator.Embed(text, Dimensions))
        {
            Document = metadata ?? Metadata(documentId),
        };

    /// <summary>A one-chunk document.</summary>
    public static Task<IndexChange> AddAsync(EmbeddedSearchIndex index, string documentId, string text, DocumentMetadata? metadata = null) =>
        index.ReplaceDocumentAsync(documentId, [Chunk(documentId, 0, text, metadata)], CancellationToken.None);

    public static IndexQuery Search(
        string text, RetrievalMode mode, int top = 10, int skip = 0, SearchFilters? filters = null, Caller? caller = null) =>
        new(text, HashingEmbeddingGenerator.Embed(text, Dimensions), mode, top)
        {
            Skip = skip,
            Filters = filters ?? SearchFilters.None,
            Caller = caller ?? Caller.Anonymous,
        };

    public static async Task<string[]> DocumentsAsync(EmbeddedSearchIndex index, IndexQuery query) =>
        [.. (await index.SearchAsync(query, CancellationToken.None)).Select(h => h.DocumentId).Order(StringComparer.Ordinal)];
}
