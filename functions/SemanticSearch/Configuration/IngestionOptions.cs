using System.ComponentModel.DataAnnotations;

namespace SemanticSearch.Configuration;

/// <summary>Limits and batching of ingestion (settings <c>Ingestion:*</c>).</summary>
public sealed class IngestionOptions
{
    /// <summary>Uploads above this size are rejected before they are read. Setting: <c>Ingestion:MaxDocumentBytes</c>.</summary>
    [Range(1, long.MaxValue)]
    public long MaxDocumentBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Extracted text above this many characters is rejected (a small file can expand enormously).</summary>
    [Range(1, int.MaxValue)]
    public int MaxExtractedCharacters { get; set; } = 4_000_000;

    /// <summary>
    /// Documents whose chunks a sync embeds together (at most 256 chunks a call): short documents then fill the
    /// encoder's batches instead of sending one or two chunks each. 1 embeds every document on its own.
    /// </summary>
    [Range(1, 1024)]
    public int BatchDocuments { get; set; } = 64;
}
