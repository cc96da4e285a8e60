using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace SemanticSearch.Http;

/// <summary>The <c>encoder</c> of <c>/api/health</c>: the embedding generator's provider ("onnx", "azure-openai"), model and dimensions.</summary>
public sealed record EncoderResponse(
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("modelId")] string ModelId,
    [property: JsonPropertyName("dimensions")] int Dimensions)
{
    public static EncoderResponse From(EmbeddingGeneratorMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return new(metadata.ProviderName ?? "unknown", metadata.DefaultModelId ?? "unknown", metadata.DefaultModelDimensions ?? 0);
    }
}
