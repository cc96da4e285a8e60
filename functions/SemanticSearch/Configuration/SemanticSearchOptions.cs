namespace SemanticSearch.Configuration;

/// <summary>
/// The whole configuration contract of the product, shared by every host. Section names are the public setting
/// names (environment variables use <c>__</c> for <c>:</c>), documented in README and local.settings.sample.json.
/// </summary>
public sealed class SemanticSearchOptions
{
    /// <summary>Folder for the embedded backends (index, embedding cache, document status). Setting: <c>Data:Path</c>.</summary>
    public DataOptions Data { get; set; } = new();

    public EncoderOptions Encoder { get; set; } = new();

    public EmbeddingCacheOptions EmbeddingCache { get; set; } = new();

    public IndexOptions Index { get; set; } = new();

    public ResultCacheOptions ResultCache { get; set; } = new();

    public ChunkingOptions Chunking { get; set; } = new();

    public IngestionOptions Ingestion { get; set; } = new();

    public DocumentStatusOptions DocumentStatus { get; set; } = new();

    public DocumentsOptions Documents { get; set; } = new();

    public HttpOptions Http { get; set; } = new();

    public QueryOptions Query { get; set; } = new();
}
