using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;
using SemanticSearch.Configuration;

namespace SemanticSearch.AzureBackends.AzureOpenAI;

/// <summary>
/// Splits one call into as many embeddings requests as the service's limits require, in order: at most
/// <c>maxInputs</c> texts and <c>maxTokens</c> tokens a request, every input cut to the model's 8,191 tokens (longer
/// ones would be refused with 400). Tokens are counted with the model's own tokenizer (cl100k_base). Requests go one
/// after another: parallel requests would only meet the deployment's tokens-per-minute limit sooner.
/// </summary>
public sealed class TokenBudgetBatchingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly Tokenizer _tokenizer;
    private readonly int _maxInputs;
    private readonly int _maxTokens;
    private readonly int _maxInputTokens;

    public TokenBudgetBatchingEmbeddingGenerator(
        IEmbeddingGenerator<string, Embedding<float>> innerGenerator,
        Tokenizer tokenizer,
        int maxInputs,
        int maxTokens,
        int maxInputTokens = EmbeddingModelCatalog.MaxInputTokens)
        : base(innerGenerator)
    {
        _tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInputs, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxInputs, EmbeddingModelCatalog.MaxInputsPerRequest);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInputTokens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, maxInputTokens);
        _maxInputs = maxInputs;
        _maxTokens = maxTokens;
        _maxInputTokens = maxInputTokens;
    }

    /// <summary>Requests sent so far (for tests and diagnostics).</summary>
    public int RequestsSent => _requests;

    private int _requests;

    /// <summary>The cl100k_base tokenizer for a model (every model in <see cref="EmbeddingModelCatalog"/> uses it).</summary>
    public static Tokenizer CreateTokenizer(string? model)
    {
        try
        {
            return model is null ? TiktokenTokenizer.CreateForEncoding(EmbeddingModelCatalog.TokenizerEncoding) : TiktokenTokenizer.CreateForModel(model);
        }
        catch (NotSupportedException)
        {
            return TiktokenTokenizer.CreateForEncoding(EmbeddingModelCatalog.TokenizerEncoding);
        }
    }

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values as IReadOnlyList<string> ?? [.. values];
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Count);
        long inputTokens = 0, totalTokens = 0;
        var anyUsage = false;
        foreach (var batch in Plan(texts))
        {
            var generated = await base.GenerateAsync(batch, options, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _requests);
            if (generated.Count != batch.Count)
            {
                throw new InvalidOperationException($"The encoder returned {generated.Count} embeddings for {batch.Count} inputs.");
            }
            result.AddRange(generated);
            if (generated.Usage is { } usage)
            {
                anyUsage = true;
                inputTokens += usage.InputTokenCount ?? 0;
                totalTokens += usage.TotalTokenCount ?? 0;
            }
        }
        if (anyUsage)
        {
            result.Usage = new UsageDetails { InputTokenCount = inputTokens, TotalTokenCount = totalTokens };
        }
        return result;
    }

    /// <summary>The requests a list of texts becomes: each a list of inputs (truncated where needed), in order.</summary>
    public IReadOnlyList<List<string>> Plan(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var batches = new List<List<string>>();
        var batch = new List<string>();
        var batchTokens = 0;
        foreach (var original in texts)
        {
            var (text, tokens) = Fit(original ?? throw new ArgumentException("A text to embed is null.", nameof(texts)));
            if (batch.Count > 0 && (batch.Count >= _maxInputs || batchTokens + tokens > _maxTokens))
            {
                batches.Add(batch);
                batch = [];
                batchTokens = 0;
            }
            batch.Add(text);
            batchTokens += tokens;
        }
        if (batch.Count > 0)
        {
            batches.Add(batch);
        }
        return batches;
    }

    private (string Text, int Tokens) Fit(string text)
    {
        var index = _tokenizer.GetIndexByTokenCount(text, _maxInputTokens, out _, out var tokens);
        return index >= text.Length ? (text, tokens) : (text[..index], tokens);
    }
}
