using Microsoft.Extensions.Logging.Abstractions;
using SemanticSearch.AzureBackends.CosmosDB;
using SemanticSearch.Configuration;
using SemanticSearch.Indexing;

namespace SemanticSearch.AzureBackends.Tests.CosmosDB;

[Collection(CosmosServerGroup.Name)]
public sealed class CosmosSearchIndexStateStoreTests(CosmosServerFixture cosmos) : IDisposable
{
    private readonly List<CosmosClientFactory> _factories = [];
    private readonly CancellationToken _ct = CancellationToken.None;

    /// <summary>Each call is another "instance": its own client factory, so nothing is shared but the server.</summary>
    private CosmosSearchIndexStateStore Instance(CosmosContainerOptions options, string index = "idx")
    {
        var factory = new CosmosClientFactory(() => throw new InvalidOperationException("No credential in local tests."));
        _factories.Add(factory);
        return new CosmosSearchIndexStateStore(new CosmosContainerConnection(factory.GetClient(options), options, NullLogger.Instance), index, NullLogger<CosmosSearchIndexStateStore>.Instance);
    }

    [Fact]
    public async Task TheFirstInstanceRecordsTheEncoderAndLaterOnesReadIt()
    {
        var options = cosmos.Container("index-state");
        var first = Instance(options);
        var second = Instance(options);

        Assert.Null(await first.ReadAsync(_ct));
        var created = await first.GetOrCreateAsync(new VectorSpace("text-embedding-3-small", 1536), _ct);
        var seen = await second.GetOrCreateAsync(new VectorSpace("other-model", 384), _ct);

        Assert.Equal(new VectorSpace("text-embedding-3-small", 1536), created.VectorSpace);
        Assert.Equal(created, seen);
        Assert.Equal(0, seen.Generation);
    }

    [Fact]
    public async Task ConcurrentIncrementsFromTwoInstancesAreNeverLost()
    {
        var options = cosmos.Container("index-state");
        var a = Instance(options);
        var b = Instance(options);
        await a.GetOrCreateAsync(new VectorSpace("m", 8), _ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? a : b).IncrementGenerationAsync(_ct)));

        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), results.Order());
        Assert.Equal(40, (await b.ReadAsync(_ct))!.Generation);
    }

    [Fact]
    public async Task ChangingTheEncoderBumpsTheGenerationAndIndexesAreKeptApart()
    {
        var options = cosmos.Container("index-state");
        var one = Instance(options, "one");
        var two = Instance(options, "two");
        await one.GetOrCreateAsync(new VectorSpace("m", 8), _ct);
        await two.GetOrCreateAsync(new VectorSpace("n", 16), _ct);

        var changed = await one.SetVectorSpaceAsync(new VectorSpace("m2", 32), _ct);

        Assert.Equal(new SemanticSearch.AzureBackends.AzureAISearch.SearchIndexState("m2", 32, 1), changed);
        Assert.Equal(new VectorSpace("n", 16), (await two.ReadAsync(_ct))!.VectorSpace);
    }

    public void Dispose()
    {
        foreach (var factory in _factories)
        {
            factory.Dispose();
        }
    }
}
