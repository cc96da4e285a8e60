using Azure;
using Microsoft.Extensions.AI;

namespace SemanticSearch.Functions.Tests.Support;

/// <summary>The real encoder behind a switch that makes it fail like a throttled service (HTTP 429), for the transient-failure path.</summary>
internal sealed class FlakyEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner) : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    public volatile bool Failing;

    public int Calls;

    public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Calls);
        if (Failing)
        {
            throw new RequestFailedException(429, "The encoder is throttled; retry later.");
        }
        return base.GenerateAsync(values, options, cancellationToken);
    }
}
