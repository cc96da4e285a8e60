namespace SemanticSearch.Ingestion;

/// <summary>A document as its source names it, before its bytes are read.</summary>
/// <param name="Id">The document id: a path below the docs folder or a blob name, '/'-separated.</param>
/// <param name="Version">
/// The source's cheap version stamp (a blob's ETag, a file's size and write time, a hash for content in memory), or
/// null when the source cannot tell. Equal stamps mean equal bytes; the stamp is recorded in the document's status.
/// </param>
/// <param name="ModifiedAt">When the source last changed the document, if it knows.</param>
public sealed record SourceDocument(string Id, string? Version = null, DateTimeOffset? ModifiedAt = null)
{
    /// <summary>Where a reader can open the document (a blob's URL); null when there is no such address.</summary>
    public string? Url { get; init; }

    /// <summary>Tags the source keeps beside the bytes (blob metadata <c>tags</c>, comma-separated).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Groups the source allows to read it (blob metadata <c>acl</c>, comma-separated); empty means no restriction from the source.</summary>
    public IReadOnlyList<string> Acl { get; init; } = [];
}
