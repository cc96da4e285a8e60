using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.AI;
using SemanticSearch.Embeddings;

namespace SemanticSearch.Http.Tests;

/// <summary>
/// Overload is shed, never queued without bound: while the embedding generator is saturated a search that needs it is
/// refused with 429 and Retry-After, and a search answered from the cache does not wait at all.
/// </summary>
public sealed class OverloadTests
{
    [Fact]
    public async Task ASearchThatFindsTheEncoderBusyAndItsQueueFullIsA429WithRetryAfter()
    {
        var encoder = new GatedEmbeddingGenerator(new HashingEmbeddingGenerator());
        await using var server = await ApiHarness.StartAsync(
            new Dictionary<string, string?> { ["Query:MaxConcurrentEmbeddings"] = "1", ["Query:EmbeddingQueueLength"] = "0", ["Query:RetryAfter"] = "00:00:02" },
            encoder);
        await server.IngestAsync("bees.md", "Honeybees navigate by the sun.");

        var first = server.Client.GetAsync(new Uri("/api/search?q=how+do+bees+navigate", UriKind.Relative));
        await encoder.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        using var shed = await server.Client.GetAsync(new Uri("/api/search?q=something+else+entirely", UriKind.Relative));
        encoder.Release();
        using var answered = await first;

        Assert.Equal(HttpStatusCode.TooManyRequests, shed.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), shed.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", shed.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var health = await server.Client.GetFromJsonAsync<JsonElement>(new Uri("/api/health", UriKind.Relative));
        Assert.Equal(1, health.GetProperty("counters").GetProperty("searchesShed").GetInt64());
    }

    [Fact]
    public async Task ACachedAnswerAndAKeywordSearchDoNotWaitForABusyEncoder()
    {
        var encoder = new GatedEmbeddingGenerator(new HashingEmbeddingGenerator()) { Open = true };
        await using var server = await ApiHarness.StartAsync(
            new Dictionary<string, string?> { ["Query:MaxConcurrentEmbeddings"] = "1", ["Query:EmbeddingQueueLength"] = "4" },
            encoder);
        await server.IngestAsync("bees.md", "Honeybees navigate by the sun.");
        using (var warm = await server.Client.GetAsync(new Uri("/api/search?q=bees", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        encoder.Open = false;
        var blocked = server.Client.GetAsync(new Uri("/api/search?q=a+query+nobody+asked+before", UriKind.Relative));
        await encoder.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        using var cached = await server.Client.GetAsync(new Uri("/api/search?q=bees", UriKind.Relative)).WaitAsync(TimeSpan.FromSeconds(10));
        using var keyword = await server.Client.GetAsync(new Uri("/api/search?q=sun&mode=keyword", UriKind.Relative)).WaitAsync(TimeSpan.FromSeconds(10));
        using var health = await server.Client.GetAsync(new Uri("/api/health", UriKind.Relative)).WaitAsync(TimeSpan.FromSeconds(10));
        encoder.Release();
        using var late = await blocked;

        Assert.Equal("HIT", Assert.Single(cached.Headers.GetValues("X-Cache")));
        Assert.Equal(HttpStatusCode.OK, keyword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
    }

    /// <summary>Holds query embeddings until released, so a test can see what happens while the encoder is busy.</summary>
    private sealed class GatedEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner) : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Open { get; set; }

        public Task Entered => _entered.Task;

        public void Release() => _released.TrySetResult();

        public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (!Open && options.GetInputKind() == EmbeddingInputKind.Query)
            {
                _entered.TrySetResult();
                await _released.Task.WaitAsync(cancellationToken);
            }
            return await base.GenerateAsync(values, options, cancellationToken);
        }
    }
}
