using Microsoft.Extensions.AI;

namespace SemanticSearch.Embeddings;

/// <summary>
/// Whether a text is a passage to index or a query. Some models embed them differently; the embedding cache keeps
/// them apart either way. Travels in <see cref="EmbeddingGenerationOptions.AdditionalProperties"/>.
/// </summary>
public enum EmbeddingInputKind
{
    Passage,
    Query,
}

public static class EmbeddingInputKindExtensions
{
    public const string PropertyName = "semantic_search_input_kind";

    public static EmbeddingGenerationOptions ForInputKind(this EmbeddingGenerationOptions? options, EmbeddingInputKind kind)
    {
        var result = options?.Clone() ?? new EmbeddingGenerationOptions();
        result.AdditionalProperties ??= [];
        result.AdditionalProperties[PropertyName] = kind;
        return result;
    }

    public static EmbeddingInputKind GetInputKind(this EmbeddingGenerationOptions? options) =>
        options?.AdditionalProperties is { } properties
        && properties.TryGetValue(PropertyName, out var value) && value is EmbeddingInputKind kind
            ? kind
            : EmbeddingInputKind.Passage;
}
