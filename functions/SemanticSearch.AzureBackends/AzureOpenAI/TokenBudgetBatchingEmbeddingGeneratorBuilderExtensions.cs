using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;
using SemanticSearch.Configuration;

namespace SemanticSearch.AzureBackends.AzureOpenAI;

public static class TokenBudgetBatchingEmbeddingGeneratorBuilderExtensions
{
    /// <summary>Adds <see cref="TokenBudgetBatchingEmbeddingGenerator"/>: requests of at most <paramref name="maxInputs"/> texts and <paramref name="maxTokens"/> tokens.</summary>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseTokenBudgetBatching(
        this EmbeddingGeneratorBuilder<string, Embedding<float>> builder,
        Tokenizer tokenizer,
        int maxInputs,
        int maxTokens)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new TokenBudgetBatchingEmbeddingGenerator(inner, tokenizer, maxInputs, maxTokens, Math.Min(maxTokens, EmbeddingModelCatalog.MaxInputTokens)));
    }

    /// <summary>
    /// Adds <see cref="TokensPerMinuteEmbeddingGenerator"/>: requests wait for this instance's <paramref name="tokensPerMinute"/>;
    /// nothing when it is 0 (no limit).
    /// </summary>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseTokensPerMinute(
        this EmbeddingGeneratorBuilder<string, Embedding<float>> builder,
        Tokenizer tokenizer,
        int tokensPerMinute,
        TimeSpan? maxWait = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfNegative(tokensPerMinute);
        return tokensPerMinute == 0 ? builder : builder.Use(inner => new TokensPerMinuteEmbeddingGenerator(inner, tokenizer, tokensPerMinute, maxWait));
    }
}
