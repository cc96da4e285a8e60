using System.Threading.RateLimiting;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;
using SemanticSearch.Embeddings;

namespace SemanticSearch.AzureBackends.AzureOpenAI;

/// <summary>
/// Keeps one instance within its share of the embeddings deployment's tokens a minute (<c>Encoder:AzureOpenAI:TokensPerMinute</c>):
/// every request takes its tokens — counted with the model's own tokenizer — from a token bucket that holds one
/// minute's budget and refills evenly every second. A request that does not fit waits (asynchronously, oldest first,
/// at most <see cref="MaxWait"/>, and never past cancellation) instead of meeting the deployment's 429s, so a burst of
/// uploads slows down instead of exhausting the client's retries and parking blobs in the poison queue. A request that
/// waited too long fails with <see cref="TimeoutException"/>, a transient failure the host retries.
/// </summary>
/// <remarks>
/// Query embeddings (input kind <see cref="EmbeddingInputKind.Query"/>) never wait behind ingestion: a search is one
/// short text, and a user is waiting for it. They take their tokens when the bucket has them, so heavy query traffic
/// still slows ingestion down, and go ahead when it does not (query traffic is bounded by the query admission limiter
/// and absorbed by the caches above). It sits below the token-budget batching, so it sees each request as sent.
/// </remarks>
public sealed class TokensPerMinuteEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>Longest a request waits for tokens before it fails as a transient error.</summary>
    public static readonly TimeSpan DefaultMaxWait = TimeSpan.FromMinutes(2);

    private readonly Tokenizer _tokenizer;
    private readonly TokenBucketRateLimiter _bucket;
    private readonly int _tokensPerMinute;

    public TokensPerMinuteEmbeddingGenerator(
        IEmbeddingGenerator<string, Embedding<float>> innerGenerator,
        Tokenizer tokenizer,
        int tokensPerMinute,
        TimeSpan? maxWait = null)
        : base(innerGenerator)
    {
        _tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        ArgumentOutOfRangeException.ThrowIfLessThan(tokensPerMinute, 1);
        _tokensPerMinute = tokensPerMinute;
        MaxWait = maxWait ?? DefaultMaxWait;
        // A minute's budget refilled every second: ceil(tpm / 60) a second, so the long-run rate is the budget.
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokensPerMinute,
            TokensPerPeriod = Math.Max(1, (tokensPerMinute + 59) / 60),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    public TimeSpan MaxWait { get; }

    /// <summary>Tokens the bucket holds now (for tests and diagnostics).</summary>
    public long AvailableTokens => _bucket.GetStatistics()?.CurrentAvailablePermits ?? 0;

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values as IReadOnlyList<string> ?? [.. values];
        // A request larger than the bucket could never be served: it waits for a full bucket instead.
        var tokens = (int)Math.Min(_tokensPerMinute, texts.Sum(t => (long)_tokenizer.CountTokens(t)));
        if (tokens == 0)
        {
            return await base.GenerateAsync(texts, options, cancellationToken).ConfigureAwait(false);
        }
        if (options.GetInputKind() == EmbeddingInputKind.Query)
        {
            using var taken = _bucket.AttemptAcquire(tokens);
            return await base.GenerateAsync(texts, options, cancellationToken).ConfigureAwait(false);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(MaxWait);
        RateLimitLease lease;
        try
        {
            lease = await _bucket.AcquireAsync(tokens, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"An embeddings request of {tokens} tokens waited {MaxWait.TotalSeconds:F0} s for this instance's share of the deployment's tokens a minute " +
                $"(Encoder:AzureOpenAI:TokensPerMinute = {_tokensPerMinute}); it is retried later.");
        }
        using (lease)
        {
            if (!lease.IsAcquired)
            {
                throw new TimeoutException($"An embeddings request of {tokens} tokens was refused by the tokens-a-minute limiter; it is retried later.");
            }
            return await base.GenerateAsync(texts, options, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _bucket.Dispose();
        }
        base.Dispose(disposing);
    }
}
