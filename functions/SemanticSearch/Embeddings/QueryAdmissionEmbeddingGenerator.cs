using System.Threading.RateLimiting;
using Microsoft.Extensions.AI;
using SemanticSearch.Diagnostics;

namespace SemanticSearch.Embeddings;

/// <summary>
/// Admits query embeddings to the generator below it by a bounded limiter: at most <c>permits</c> at once and
/// <c>queue</c> waiting (oldest first); one more is refused at once with <see cref="EmbeddingCapacityExceededException"/>.
/// Waiting is asynchronous, so no thread is held while a query waits its turn. Passages (ingestion) pass through:
/// they are not shed, and their pace is the ingestion's own.
/// </summary>
/// <remarks>
/// It sits under the embedding cache, so a query whose embedding is cached never meets it — and the result cache sits
/// above both, so a cached answer never comes near the generator at all.
/// </remarks>
public sealed class QueryAdmissionEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly TimeSpan _retryAfter;
    private readonly SemanticSearchMetrics _metrics;

    public QueryAdmissionEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, int permits, int queue, TimeSpan retryAfter, SemanticSearchMetrics metrics)
        : base(innerGenerator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permits, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(queue);
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = permits,
            QueueLimit = queue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _retryAfter = retryAfter;
        _metrics = metrics;
    }

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        if (options.GetInputKind() != EmbeddingInputKind.Query)
        {
            return await base.GenerateAsync(values, options, cancellationToken).ConfigureAwait(false);
        }
        using var lease = await _limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            _metrics.RecordShed();
            throw new EmbeddingCapacityExceededException(_retryAfter);
        }
        return await base.GenerateAsync(values, options, cancellationToken).ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _limiter.Dispose();
        }
        base.Dispose(disposing);
    }
}
