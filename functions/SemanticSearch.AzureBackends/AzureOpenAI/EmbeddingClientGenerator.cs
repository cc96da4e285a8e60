using Microsoft.Extensions.AI;
using OpenAI.Embeddings;

namespace SemanticSearch.AzureBackends.AzureOpenAI;

/// <summary>
/// The OpenAI library's <see cref="EmbeddingClient"/> (as <c>AzureOpenAIClient.GetEmbeddingClient</c> makes it) as an
/// embedding generator. It stands in for Microsoft.Extensions.AI.OpenAI's <c>AsIEmbeddingGenerator</c>, which needs
/// OpenAI 2.14 or later, while Azure.AI.OpenAI 2.1.0 (the newest stable release) is built against OpenAI 2.1.0 and
/// fails at run time with newer ones (MissingMethodException): with this adapter the pair stays the one the Azure
/// package names. One request per call; the generators above it split calls into requests that fit the service.
/// Nothing of <see cref="Microsoft.Extensions.AI.EmbeddingGenerationOptions.AdditionalProperties"/> reaches the request.
/// </summary>
internal sealed class EmbeddingClientGenerator(EmbeddingClient client, int? dimensions) : IEmbeddingGenerator<string, Embedding<float>>
{
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        Microsoft.Extensions.AI.EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values as IReadOnlyList<string> ?? [.. values];
        var request = new OpenAI.Embeddings.EmbeddingGenerationOptions { Dimensions = dimensions };
        var response = (await client.GenerateEmbeddingsAsync(inputs, request, cancellationToken).ConfigureAwait(false)).Value;
        var embeddings = response.OrderBy(e => e.Index).Select(e => new Embedding<float>(e.ToFloats()) { ModelId = response.Model });
        var result = new GeneratedEmbeddings<Embedding<float>>(embeddings);
        if (response.Usage is { } usage)
        {
            result.Usage = new UsageDetails { InputTokenCount = usage.InputTokenCount, TotalTokenCount = usage.TotalTokenCount };
        }
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(client) ? client
            : null;
    }

    public void Dispose()
    {
    }
}
