namespace SemanticSearch.Configuration;

/// <summary>
/// What we know about the Azure OpenAI embedding models: their native dimensions, whether they can shorten their
/// vectors (the <c>dimensions</c> request parameter exists for text-embedding-3 only; ada-002 rejects it), and the
/// input limits every one of them shares (8,191 tokens an input, 2,048 inputs a request, cl100k_base tokens).
/// </summary>
public static class EmbeddingModelCatalog
{
    /// <summary>Tokens one input may hold.</summary>
    public const int MaxInputTokens = 8191;

    /// <summary>Inputs one embeddings request may hold.</summary>
    public const int MaxInputsPerRequest = 2048;

    /// <summary>The tokenizer encoding of every model listed here.</summary>
    public const string TokenizerEncoding = "cl100k_base";

    private static readonly Dictionary<string, EmbeddingModel> Models = new(StringComparer.OrdinalIgnoreCase)
    {
        ["text-embedding-3-small"] = new("text-embedding-3-small", 1536, SupportsDimensions: true),
        ["text-embedding-3-large"] = new("text-embedding-3-large", 3072, SupportsDimensions: true),
        ["text-embedding-ada-002"] = new("text-embedding-ada-002", 1536, SupportsDimensions: false),
    };

    public static IReadOnlyCollection<string> KnownModels => Models.Keys;

    public static EmbeddingModel? Find(string? model) => model is not null && Models.TryGetValue(model, out var known) ? known : null;
}
