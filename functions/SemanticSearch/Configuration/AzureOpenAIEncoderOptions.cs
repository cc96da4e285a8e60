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

    /// <summary>
    /// Tokens sent in one embeddings request (inputs are also capped by Encoder:BatchSize and the service's 2,048, and
    /// never above <see cref="TokensPerMinute"/>). Well below a deployment's per-minute budget, so one request does not
    /// spend an instance's whole minute; an input longer than this is cut to it (chunks are far shorter).
    /// </summary>
    [Range(256, 1_000_000)]
    public int MaxTokensPerRequest { get; set; } = 8_192;

    /// <summary>
    /// Tokens a minute this instance may spend on embeddings, counted with the model's tokenizer; requests wait for
    /// them rather than meet the deployment's 429s. Per instance: the deployment's capacity split over the app's
    /// maximum instance count (the template sets it so). 0 means no limit.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int TokensPerMinute { get; set; }

    /// <summary>Only for local tests against a stand-in; in Azure the managed identity is used.</summary>
    public string? ApiKey { get; set; }
}
