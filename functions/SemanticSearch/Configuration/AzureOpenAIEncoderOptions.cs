using System.ComponentModel.DataAnnotations;

namespace SemanticSearch.Configuration;

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
