using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

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
        return builder.Use(inner => new TokenBudgetBatchingEmbeddingGenerator(inner, tokenizer, maxInputs, maxTokens));
    }
}
