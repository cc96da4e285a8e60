using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Indexing;
using SemanticSearch.Query;

namespace SemanticSearch.Tests.Query;

public sealed class SearchServiceTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task ABurstOfIdenticalSearchesEmbedsAndSearchesOnce()
    {
        var encoder = new HashingEmbeddingGenerator();
        await using var services = await SemanticSearchHost.BuildAsync(
            new Dictionary<string, string?> { ["Data:Path"] = _data.Path },
            new SlowEmbeddingGenerator(encoder, TimeSpan.FromMilliseconds(300)));
        var search = services.GetRequiredService<SearchService>();
        var request = new SearchRequest("coral reef bleaching", 5, RetrievalMode.Hybrid);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => search.SearchAsync(request, CancellationToken.None))));

        // HybridCache's stampede protection: the 19 callers that arrive while the first computes wait for its answer.
        Assert.Single(encoder.Calls);
        Assert.Equal(1, responses.Count(r => !r.CacheHit));
        Assert.All(responses, r => Assert.Same(responses[0].Results, r.Results));
    }

    public void Dispose() => _data.Dispose();

    private sealed class SlowEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, TimeSpan delay) : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
    {
        public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            await Task.Delay(delay, cancellationToken);
            return await base.GenerateAsync(values, options, cancellationToken);
        }
    }
}
