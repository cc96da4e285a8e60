using System.ClientModel.Primitives;

namespace SemanticSearch.AzureBackends.Tests.Faults;

/// <summary>
/// The OpenAI client's own <see cref="ClientRetryPolicy"/> — same retry decisions (which statuses and exceptions are
/// retried, how many times), same computed waits (Retry-After honoured, exponential back-off otherwise) — that only
/// sleeps a fraction of each wait, so a test that provokes dozens of retries stays within seconds. It records what the
/// product would have waited.
/// </summary>
internal sealed class CompressedRetryPolicy(int maxRetries, double scale) : ClientRetryPolicy(maxRetries)
{
    private readonly Lock _lock = new();

    public int Retries { get; private set; }

    /// <summary>What the unscaled policy would have slept in all.</summary>
    public TimeSpan ProductionWait { get; private set; }

    /// <summary>The shortest wait computed after a 429: at least the Retry-After the service sent.</summary>
    public TimeSpan? ShortestThrottledWait { get; private set; }

    protected override TimeSpan GetNextDelay(PipelineMessage message, int tryCount)
    {
        var delay = base.GetNextDelay(message, tryCount);
        lock (_lock)
        {
            Retries++;
            ProductionWait += delay;
            if (message.Response?.Status == 429 && (ShortestThrottledWait is null || delay < ShortestThrottledWait))
            {
                ShortestThrottledWait = delay;
            }
        }
        return delay * scale;
    }
}
