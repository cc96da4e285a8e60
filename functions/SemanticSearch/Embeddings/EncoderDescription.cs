using System.Text.Json.Serialization;
using SemanticSearch.Indexing;

namespace SemanticSearch.Embeddings;

/// <summary>Which encoder is configured: its provider ("onnx", "azure-openai"), model and dimensions.</summary>
public sealed record EncoderDescription(
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("modelId")] string ModelId,
    [property: JsonPropertyName("dimensions")] int Dimensions)
{
    [JsonIgnore]
    public EncoderIdentity Identity => new(ModelId, Dimensions);
}
