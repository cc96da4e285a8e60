using Microsoft.Extensions.AI;
using SemanticSearch.Embeddings;

namespace SemanticSearch.Azure.OpenAI;

/// <summary>
/// The outermost layer of the Azure OpenAI encoder: says what it is (provider <c>azure-openai</c>, the configured
/// model name — not the deployment name, which may differ — and the vector size) so the index and the embedding cache
/// key on the model, checks that every vector has that size, and keeps our own options (the input kind) out of the
/// request the OpenAI client builds.
/// </summary>
public sealed class AzureOpenAIEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    public const string ProviderName = "azure-openai";

    public AzureOpenAIEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, string model, int dimensions, Uri endpoint)
        : base(innerGenerator)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        Metadata = new EmbeddingGeneratorMetadata(ProviderName, endpoint, model, dimensions);
    }

    public EmbeddingGeneratorMetadata Metadata { get; }

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var model = Metadata.DefaultModelId!;
        var dimensions = Metadata.DefaultModelDimensions!.Value;
        if (options?.Dimensions is { } asked && asked != dimensions)
        {
            throw new NotSupportedException($"This encoder is configured for {dimensions}-dimensional vectors; {asked} were asked for.");
        }
        if (options?.ModelId is { } modelId && !string.Equals(modelId, model, StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"This encoder runs {model}; model '{modelId}' was asked for.");
        }

        var generated = await base.GenerateAsync(values, WithoutOwnProperties(options), cancellationToken).ConfigureAwait(false);
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

    private static EmbeddingGenerationOptions? WithoutOwnProperties(EmbeddingGenerationOptions? options)
    {
        if (options?.AdditionalProperties is not { } properties || !properties.ContainsKey(EmbeddingInputKindExtensions.PropertyName))
        {
            return options;
        }
        var clone = options.Clone();
        clone.AdditionalProperties!.Remove(EmbeddingInputKindExtensions.PropertyName);
        if (clone.AdditionalProperties.Count == 0)
        {
            clone.AdditionalProperties = null;
        }
        return clone;
    }
}
