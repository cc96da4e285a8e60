using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Azure.Core;
using Microsoft.Extensions.AI;
using SemanticSearch.Configuration;
using SemanticSearch.Embeddings;

namespace SemanticSearch.AzureBackends.AzureOpenAI;

/// <summary>
/// An Azure OpenAI embeddings deployment as an embedding generator, Microsoft.Extensions.AI style: the OpenAI
/// client's embedding client as an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>
/// (<see cref="EmbeddingClientGenerator"/>, which sends nothing of our own options), under
/// <see cref="TokensPerMinuteEmbeddingGenerator"/> (this instance's share of the deployment's tokens a minute, when
/// <c>Encoder:AzureOpenAI:TokensPerMinute</c> sets one) and <see cref="TokenBudgetBatchingEmbeddingGenerator"/> (the
/// service's per-request limits), with this class outermost: it says what it is (provider <c>azure-openai</c>, the
/// configured model name — not the deployment name, which may differ — and the vector size) so the index and the
/// embedding cache key on the model, and checks that every vector has that size.
/// </summary>
/// <remarks>
/// Throttling is the client pipeline's business: <see cref="ClientRetryPolicy"/> retries 408, 429, 500, 502, 503 and
/// 504 and waits what the service asks (<c>retry-after-ms</c>, <c>x-ms-retry-after-ms</c> or <c>Retry-After</c>),
/// with exponential back-off otherwise. A request that sends nothing back within the network timeout is abandoned and
/// retried the same way.
/// </remarks>
public sealed class AzureOpenAIEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    public const string ProviderName = "azure-openai";

    public const int MaxRetries = 6;

    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(60);

    /// <param name="options">Settings <c>Encoder:AzureOpenAI:*</c>.</param>
    /// <param name="batchSize">Inputs per request at most (<c>Encoder:BatchSize</c>, and never above the service's 2,048).</param>
    /// <param name="credential">The managed identity, asked for only when no API key is configured.</param>
    /// <param name="clientOptions">Client settings; <see cref="CreateClientOptions"/> when null.</param>
    public AzureOpenAIEmbeddingGenerator(
        AzureOpenAIEncoderOptions options,
        int batchSize,
        Func<TokenCredential> credential,
        AzureOpenAIClientOptions? clientOptions = null)
        : base(CreateClientGenerator(options, batchSize, credential, clientOptions))
    {
        Metadata = new EmbeddingGeneratorMetadata(ProviderName, options.Endpoint, ModelOf(options), DimensionsOf(options));
    }

    public EmbeddingGeneratorMetadata Metadata { get; }

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

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var model = Metadata.DefaultModelId!;
        var dimensions = Metadata.DefaultModelDimensions!.Value;
        if (options?.Dimensions is { } asked && asked != dimensions)
        {
            throw new NotSupportedException($"This embedding generator is configured for {dimensions}-dimensional vectors; {asked} were asked for.");
        }
        if (options?.ModelId is { } modelId && !string.Equals(modelId, model, StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"This embedding generator runs {model}; model '{modelId}' was asked for.");
        }

        // The input kind travels down: the tokens-a-minute limiter lets queries through without waiting, and the
        // client adapter at the bottom sends none of it.
        var generated = await base.GenerateAsync(values, options, cancellationToken).ConfigureAwait(false);
        foreach (var embedding in generated)
        {
            if (embedding.Vector.Length != dimensions)
            {
                throw new InvalidOperationException(
                    $"Azure OpenAI returned a {embedding.Vector.Length}-dimensional vector; {dimensions} were configured. " +
                    "Check Encoder:AzureOpenAI:Model and Encoder:AzureOpenAI:Dimensions against the deployment.");
            }
            embedding.ModelId = model;
        }
        return generated;
    }

    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata : base.GetService(serviceType, serviceKey);
    }

    private static IEmbeddingGenerator<string, Embedding<float>> CreateClientGenerator(
        AzureOpenAIEncoderOptions options,
        int batchSize,
        Func<TokenCredential> credential,
        AzureOpenAIClientOptions? clientOptions)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        var endpoint = options.Endpoint ?? throw new InvalidOperationException("Encoder:AzureOpenAI:Endpoint is required when Encoder:Provider is AzureOpenAI.");
        var deployment = !string.IsNullOrWhiteSpace(options.Deployment) ? options.Deployment
            : throw new InvalidOperationException("Encoder:AzureOpenAI:Deployment is required when Encoder:Provider is AzureOpenAI.");
        var known = EmbeddingModelCatalog.Find(ModelOf(options));

        clientOptions ??= CreateClientOptions();
        var client = !string.IsNullOrWhiteSpace(options.ApiKey)
            ? new AzureOpenAIClient(endpoint, new ApiKeyCredential(options.ApiKey), clientOptions)
            : new AzureOpenAIClient(endpoint, credential(), clientOptions);

        // ada-002 refuses the dimensions parameter; text-embedding-3 (and, we assume, later models) take it.
        int? requestedDimensions = known is { SupportsDimensions: false } ? null : DimensionsOf(options);
        var tokenizer = TokenBudgetBatchingEmbeddingGenerator.CreateTokenizer(known?.Name);
        // A request never holds more than the instance may spend in a minute, or it could never be sent.
        var tokensPerRequest = options.TokensPerMinute > 0 ? Math.Min(options.MaxTokensPerRequest, options.TokensPerMinute) : options.MaxTokensPerRequest;
        return new EmbeddingClientGenerator(client.GetEmbeddingClient(deployment), requestedDimensions)
            .AsBuilder()
            .UseTokenBudgetBatching(tokenizer, Math.Min(batchSize, EmbeddingModelCatalog.MaxInputsPerRequest), tokensPerRequest)
            .UseTokensPerMinute(tokenizer, options.TokensPerMinute)
            .Build();
    }
}
