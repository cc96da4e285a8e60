using System.ComponentModel.DataAnnotations;
using SemanticSearch.Indexing.Embedded;

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
}

public sealed class DataOptions
{
    public const string DefaultPath = ".semantic-search";

    [Required]
    public string Path { get; set; } = DefaultPath;
}

public enum EncoderProvider { Onnx, AzureOpenAI }

public sealed class EncoderOptions
{
    public EncoderProvider Provider { get; set; } = EncoderProvider.Onnx;

    /// <summary>Texts sent to the encoder in one call (ONNX: one session run; Azure OpenAI: one request).</summary>
    [Range(1, 2048)]
    public int BatchSize { get; set; } = 32;

    public OnnxEncoderOptions Onnx { get; set; } = new();

    public AzureOpenAIEncoderOptions AzureOpenAI { get; set; } = new();
}

public sealed class OnnxEncoderOptions
{
    /// <summary>Folder holding model.onnx and vocab.txt; empty means the model bundled next to the binaries.</summary>
    public string? ModelPath { get; set; }

    /// <summary>Intra-op threads of the ONNX session; 0 means one per processor.</summary>
    [Range(0, 256)]
    public int Threads { get; set; }
}

public sealed class AzureOpenAIEncoderOptions
{
    public Uri? Endpoint { get; set; }

    public string? Deployment { get; set; }

    /// <summary>
    /// The model the deployment runs (text-embedding-3-small, text-embedding-3-large, text-embedding-ada-002); it names
    /// the vectors in the index and the embedding cache. Empty means the deployment name.
    /// </summary>
    public string? Model { get; set; }

    /// <summary>Output dimensions; text-embedding-3 models can shorten their vectors, ada-002 cannot. Empty means the model's own.</summary>
    [Range(1, 3072)]
    public int? Dimensions { get; set; }

    /// <summary>Tokens sent in one embeddings request (inputs are also capped by Encoder:BatchSize and the service's 2,048).</summary>
    [Range(8191, 1_000_000)]
    public int MaxTokensPerRequest { get; set; } = 32_768;

    /// <summary>Only for local tests against a stand-in; in Azure the managed identity is used.</summary>
    public string? ApiKey { get; set; }
}

public enum EmbeddingCacheProvider { Sqlite, Cosmos, None }

public sealed class EmbeddingCacheOptions
{
    public EmbeddingCacheProvider Provider { get; set; } = EmbeddingCacheProvider.Sqlite;

    public CosmosContainerOptions Cosmos { get; set; } = new() { Container = "embeddings" };
}

public enum ResultCacheProvider { Memory, Cosmos }

public sealed class ResultCacheOptions
{
    public ResultCacheProvider Provider { get; set; } = ResultCacheProvider.Memory;

    /// <summary>How long a search answer is served from the cache (it is never served after the index changes).</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromMinutes(5);

    public CosmosContainerOptions Cosmos { get; set; } = new() { Container = "results" };
}

public sealed class CosmosContainerOptions
{
    /// <summary>For the local emulator only; in Azure use <see cref="Endpoint"/> with the managed identity.</summary>
    public string? ConnectionString { get; set; }

    public Uri? Endpoint { get; set; }

    public string Database { get; set; } = "semantic-search";

    public string Container { get; set; } = string.Empty;

    /// <summary>Create the database and container when missing (needs control-plane rights in Azure).</summary>
    public bool CreateIfMissing { get; set; } = true;

    /// <summary>Expiry of cache items; null keeps them forever.</summary>
    public TimeSpan? TimeToLive { get; set; }
}

public enum IndexProvider { Embedded, AzureAISearch }

public sealed class IndexOptions
{
    public IndexProvider Provider { get; set; } = IndexProvider.Embedded;

    public EmbeddedIndexOptions Embedded { get; set; } = new();

    public AzureAISearchOptions AzureAISearch { get; set; } = new();
}

/// <summary>Ranking of the embedded index (settings <c>Index:Embedded:*</c>); defaults are tuned in docs/benchmarks.md.</summary>
public sealed class EmbeddedIndexOptions
{
    /// <summary>Chunks each of keyword and vector search puts into hybrid fusion (at least the requested top).</summary>
    [Range(1, 10_000)]
    public int CandidateDepth { get; set; } = EmbeddedIndexSettings.Default.CandidateDepth;

    /// <summary>The reciprocal-rank-fusion constant k: smaller lets the first few ranks of each list dominate.</summary>
    [Range(0, 10_000)]
    public int RrfK { get; set; } = EmbeddedIndexSettings.Default.RrfK;

    /// <summary>Weight of the keyword (BM25) ranking in hybrid fusion; raise it for corpora of exact terms (codes, names).</summary>
    [Range(0.0, 100.0)]
    public double KeywordWeight { get; set; } = EmbeddedIndexSettings.Default.KeywordWeight;

    /// <summary>Weight of the vector ranking in hybrid fusion.</summary>
    [Range(0.0, 100.0)]
    public double VectorWeight { get; set; } = EmbeddedIndexSettings.Default.VectorWeight;

    public EmbeddedIndexSettings ToSettings() => new(CandidateDepth, RrfK, KeywordWeight, VectorWeight);
}

public sealed class AzureAISearchOptions
{
    public Uri? Endpoint { get; set; }

    public string IndexName { get; set; } = "semantic-search";

    /// <summary>Only for tests against a stand-in; in Azure the managed identity is used.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Where the index's encoder identity and generation are kept for every instance to read (one small item per index).
    /// </summary>
    public CosmosContainerOptions State { get; set; } = new() { Container = "index-state" };
}

public sealed class ChunkingOptions
{
    /// <summary>Word pieces per chunk; all-MiniLM-L6-v2 truncates its input at 256.</summary>
    [Range(16, 8192)]
    public int MaxTokens { get; set; } = 256;

    /// <summary>Word pieces of the previous chunk's last sentences repeated at the start of the next; 0 for none.</summary>
    [Range(0, 4096)]
    public int OverlapTokens { get; set; }
}

public sealed class IngestionOptions
{
    /// <summary>Uploads above this size are rejected before they are read. Setting: <c>Ingestion:MaxDocumentBytes</c>.</summary>
    [Range(1, long.MaxValue)]
    public long MaxDocumentBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Extracted text above this many characters is rejected (a small file can expand enormously).</summary>
    [Range(1, int.MaxValue)]
    public int MaxExtractedCharacters { get; set; } = 4_000_000;
}

public enum DocumentStatusProvider { Sqlite, Cosmos }

public sealed class DocumentStatusOptions
{
    public DocumentStatusProvider Provider { get; set; } = DocumentStatusProvider.Sqlite;

    public CosmosContainerOptions Cosmos { get; set; } = new() { Container = "documents" };
}

public sealed class DocumentsOptions
{
    /// <summary>Blob container the Functions app and the local server ingest from. Setting: <c>Documents:Container</c>.</summary>
    [Required]
    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", ErrorMessage = "Documents:Container must be a valid blob container name (3-63 lower-case letters, digits and single hyphens).")]
    public string Container { get; set; } = "documents";
}
