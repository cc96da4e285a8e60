namespace SemanticSearch.Ingestion;

/// <summary>A document as its source names it, before its bytes are read.</summary>
/// <param name="Id">The document id: a path below the docs folder or a blob name, '/'-separated.</param>
/// <param name="Version">
/// The source's cheap version stamp (a blob's ETag, a file's size and write time, a hash for content in memory), or
/// null when the source cannot tell. Equal stamps mean equal bytes; the stamp is recorded in the document's status.
/// </param>
/// <param name="ModifiedAt">When the source last changed the document, if it knows.</param>
public sealed record SourceDocument(string Id, string? Version = null, DateTimeOffset? ModifiedAt = null);
