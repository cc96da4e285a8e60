using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SemanticSearch.AzureBackends.CosmosDB;
using SemanticSearch.Configuration;

namespace SemanticSearch.AzureBackends.Tests.CosmosDB;

[Collection(CosmosServerGroup.Name)]
public sealed class CosmosDistributedCacheTests(CosmosServerFixture cosmos) : IDisposable
{
    private readonly CosmosClientFactory _clients = new(() => throw new InvalidOperationException("No credential in local tests."));
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CancellationToken _ct = CancellationToken.None;

    private CosmosDistributedCache Create(CosmosContainerOptions options) =>
        new(new CosmosContainerConnection(_clients.GetClient(options), options, NullLogger.Instance), _time, NullLogger<CosmosDistributedCache>.Instance);

    [Fact]
    public async Task StoresBytesUnderLongKeysWithForbiddenCharacters()
    {
        var cache = Create(cosmos.Container("results"));
        var key = "search:v1:7:hybrid:10:" + new string('x', 400) + "/\\?#";
        byte[] value = [0, 1, 2, 255, 128];

        await cache.SetAsync(key, value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) }, _ct);

        Assert.Equal(value, await cache.GetAsync(key, _ct));
        Assert.Null(await cache.GetAsync(key + "-other", _ct));
    }

    [Fact]
    public async Task ExpiryIsCheckedOnReadAndTtlIsSetForAzure()
    {
        var options = cosmos.Container("results");
        var cache = Create(options);
        await cache.SetAsync("k", [1], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) }, _ct);

        var container = _clients.GetClient(options).GetContainer(options.Database, options.Container);
        var id = CosmosDistributedCache.ItemId("k");
        var stored = (await container.ReadItemAsync<CosmosDistributedCache.Item>(id, new Microsoft.Azure.Cosmos.PartitionKey(id), cancellationToken: _ct)).Resource;
        Assert.Equal(300, stored.TimeToLive);
        Assert.Equal("k", stored.Key);

        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.NotNull(await cache.GetAsync("k", _ct));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(await cache.GetAsync("k", _ct));
    }

    [Fact]
    public async Task SlidingExpiryMovesOnReadButNotPastTheAbsoluteOne()
    {
        var cache = Create(cosmos.Container("results"));
        await cache.SetAsync("k", [1], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(2), AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) }, _ct);

        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(1.5));
            Assert.NotNull(await cache.GetAsync("k", _ct));
        }
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await cache.GetAsync("k", _ct));
    }

    [Fact]
    public async Task RemoveDeletesAndMissingKeysAreFine()
    {
        var cache = Create(cosmos.Container("results"));
        await cache.SetAsync("k", [1], new DistributedCacheEntryOptions(), _ct);
        await cache.RemoveAsync("k", _ct);
        await cache.RemoveAsync("k", _ct);
        await cache.RefreshAsync("k", _ct);

        Assert.Null(await cache.GetAsync("k", _ct));
    }

    public void Dispose() => _clients.Dispose();
}
