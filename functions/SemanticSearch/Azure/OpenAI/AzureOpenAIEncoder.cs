using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Azure.Core;
using Microsoft.Extensions.AI;
using SemanticSearch.Configuration;

namespace SemanticSearch.Azure.OpenAI;

/// <summary>
/// Builds the Azure OpenAI encoder, Microsoft.Extensions.AI style: the OpenAI client's embedding client as an
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, wrapped by <see cref="TokenBudgetBatchingGenerator"/> (the
/// service's per-request limits) and <see cref="AzureOpenAIEmbeddingGenerator"/> (identity, checks). The composition
/// root wraps the result in the embedding cache like any other encoder.
/// </summary>
/// <remarks>
/// Throttling is the client pipeline's business: <see cref="ClientRetryPolicy"/> retries 408, 429, 500, 502, 503 and
/// 504 and waits what the service asks (<c>retry-after-ms</c>, <c>x-ms-retry-after-ms</c> or <c>Retry-After</c>),
/// with exponential back-off otherwise. A request that sends nothing back within the network timeout is abandoned and
/// retried the same way.
/// </remarks>
public static class AzureOpenAIEncoder
{
    public const int MaxRetries = 6;

    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The client settings: retries and timeout as described above, service API version 2024-10-21.</summary>
    public static AzureOpenAIClientOptions CreateClientOptions() => new()
    {
        RetryPolicy = new ClientRetryPolicy(MaxRetries),
        NetworkTimeout = NetworkTimeout,
    };

    /// <summary>The model name that identifies the vectors: <c>Encoder:AzureOpenAI:Model</c>, else the deployment name.</summary>
    public static string ModelOf(AzureOpenAIEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return !string.IsNullOrWhiteSpace(options.Model) ? options.Model
            : !string.IsNullOrWhiteSpace(options.Deployment) ? options.Deployment
            : throw new InvalidOperationException("Encoder:AzureOpenAI:Deployment is required when Encoder:Provider is AzureOpenAI.");
    }

    /// <summary>The vector size: <c>Encoder:AzureOpenAI:Dimensions</c>, else the model's native size.</summary>
    public static int DimensionsOf(AzureOpenAIEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Dimensions
            ?? EmbeddingModelCatalog.Find(ModelOf(options))?.NativeDimensions
            ?? throw new InvalidOperationException($"Encoder:AzureOpenAI:Dimensions is required for model '{ModelOf(options)}'.");
    }

    public static IEmbeddingGenerator<string, Embedding<float>> Create(
        AzureOpenAIEncoderOptions options,
        int batchSize,
        Func<TokenCredential> credential,
        AzureOpenAIClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        var endpoint = options.Endpoint ?? throw new InvalidOperationException("Encoder:AzureOpenAI:Endpoint is required when Encoder:Provider is AzureOpenAI.");
        var deployment = !string.IsNullOrWhiteSpace(options.Deployment) ? options.Deployment
            : throw new InvalidOperationException("Encoder:AzureOpenAI:Deployment is required when Encoder:Provider is AzureOpenAI.");
        var model = ModelOf(options);
        var dimensions = DimensionsOf(options);
        var known = EmbeddingModelCatalog.Find(model);

        clientOptions ??= CreateClientOptions();
        var client = !string.IsNullOrWhiteSpace(options.ApiKey)
            ? new AzureOpenAIClient(endpoint, new ApiKeyCredential(options.ApiKey), clientOptions)
            : new AzureOpenAIClient(endpoint, credential(), clientOptions);

        // ada-002 refuses the dimensions parameter; text-embedding-3 (and, we assume, later models) take it.
        int? requestedDimensions = known is { SupportsDimensions: false } ? null : dimensions;
        var tokenizer = TokenBudgetBatchingGenerator.CreateTokenizer(known?.Name);
        var inputsPerRequest = Math.Min(batchSize, EmbeddingModelCatalog.MaxInputsPerRequest);

        return client.GetEmbeddingClient(deployment)
            .AsIEmbeddingGenerator(requestedDimensions)
            .AsBuilder()
            .Use(inner => new AzureOpenAIEmbeddingGenerator(inner, model, dimensions, endpoint))
            .Use(inner => new TokenBudgetBatchingGenerator(inner, tokenizer, inputsPerRequest, options.MaxTokensPerRequest))
            .Build();
    }
}
