using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace SemanticSearch.Tests.Query;

/// <summary>The shared result cache is an optimisation: HybridCache treats a failing second tier as a miss.</summary>
public sealed class SharedResultCacheFailureTests
{
    [Fact]
    public async Task AnUnreachableSharedCacheNeitherFailsNorBlocksTheAnswer()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHybridCache();
        services.AddSingleton<IDistributedCache, Throwing>();
        using var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredService<HybridCache>();
        var value = await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("v"));
        Assert.Equal("v", value);
    }

    /// <summary>A second tier that is down: every call fails.</summary>
    private sealed class Throwing : IDistributedCache
    {
        public byte[]? Get(string key) => throw new InvalidOperationException("down");
        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => throw new InvalidOperationException("down");
        public void Refresh(string key) => throw new InvalidOperationException("down");
        public Task RefreshAsync(string key, CancellationToken token = default) => throw new InvalidOperationException("down");
        public void Remove(string key) => throw new InvalidOperationException("down");
        public Task RemoveAsync(string key, CancellationToken token = default) => throw new InvalidOperationException("down");
        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw new InvalidOperationException("down");
        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) => throw new InvalidOperationException("down");
    }
}
