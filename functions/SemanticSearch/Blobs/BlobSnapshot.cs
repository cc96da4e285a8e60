using Azure;

namespace SemanticSearch.Blobs;

/// <summary>A blob as a container listing saw it: enough to tell whether it changed since.</summary>
public sealed record BlobSnapshot(string Name, ETag ETag, DateTimeOffset? LastModified);
