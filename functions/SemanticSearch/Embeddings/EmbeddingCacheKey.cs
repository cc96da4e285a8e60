using SemanticSearch.Chunking;

namespace SemanticSearch.Embeddings;

/// <summary>
/// The identity of a vector: everything that changes it and nothing else — model id, dimensions, input kind and the
/// SHA-256 of the normalized text. The same text in two documents, or in two versions of one document, shares a key.
/// </summary>
public static class EmbeddingCacheKey
{
    public static string Create(string modelId, int dimensions, EmbeddingInputKind kind, string text)
    {
        var textHash = ContentHash.Of(TextNormalizer.Normalize(text));
        var kindName = kind == EmbeddingInputKind.Query ? "q" : "p";
        // Model ids may hold characters that are not valid in every store's ids (Cosmos forbids '/', '\\', '?', '#').
        var model = ContentHash.Of(modelId)[..12];
        return $"{model}-{dimensions}-{kindName}-{textHash}";
    }
}
