namespace SemanticSearch.Configuration;

/// <summary>An Azure OpenAI embedding model the settings may name.</summary>
/// <param name="NativeDimensions">The vector size when no <c>dimensions</c> are asked for (and the most one may ask for).</param>
/// <param name="SupportsDimensions">Whether the model accepts the <c>dimensions</c> parameter.</param>
public sealed record EmbeddingModel(string Name, int NativeDimensions, bool SupportsDimensions);
