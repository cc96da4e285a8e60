using System.Text.Json;
using Xunit.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SemanticSearch.AzureBackends.CosmosDB;
using SemanticSearch.Configuration;
using SemanticSearch.Embeddings;

namespace SemanticSearch.AzureBackends.Tests.CosmosDB;

[Collection(CosmosServerGroup.Name)]
public sealed class CosmosEmbeddingCacheStoreTests(CosmosServerFixture cosmos, ITestOutputHelper output) : IDisposable
{
    private readonly CosmosClientFactory _clients = new(() => throw new InvalidOperationException("No credential in local tests."));
    private readonly CancellationToken _ct = CancellationToken.None;

    private CosmosEmbeddingCacheStore Create(CosmosContainerOptions options, TimeProvider? time = null, ListLogger<CosmosEmbeddingCacheStore>? logger = null) =>
        new(new CosmosContainerConnection(_clients.GetClient(options), options, NullLogger.Instance), time ?? TimeProvider.System, logger ?? new ListLogger<CosmosEmbeddingCacheStore>());

    [Fact]
    public async Task StoresAndReadsVectorsExactly()
    {
        var store = Create(cosmos.Container("embeddings"));
        var a = new[] { 0.1f, -0.25f, float.Epsilon, 1e-30f, 123456.789f };
        var b = new[] { 1f, 2f, 3f, 4f, 5f };

        await store.SetManyAsync([new("k-a", a), new("k-b", b)], _ct);
        var found = await store.GetManyAsync(["k-a", "k-b", "k-missing"], _ct);

        Assert.Equal(2, found.Count);
        Assert.Equal(a, found["k-a"]);
        Assert.Equal(b, found["k-b"]);
        Assert.False(found.ContainsKey("k-missing"));
    }

    [Fact]
    public async Task ReadsABatchOfAThousandKeysInOneCallAndLogsTheCharge()
    {
        var logger = new ListLogger<CosmosEmbeddingCacheStore>();
        var store = Create(cosmos.Container("embeddings"), logger: logger);
        var entries = Enumerable.Range(0, 1200).Select(i => new KeyValuePair<string, float[]>($"key-{i:D4}", [i, i + 0.5f, -i])).ToList();

        await store.SetManyAsync(entries, _ct);
        var found = await store.GetManyAsync([.. entries.Select(e => e.Key), "absent"], _ct);

        Assert.Equal(1200, found.Count);
        Assert.Equal(new float[] { 7, 7.5f, -7 }, found["key-0007"]);
        var read = Assert.Single(logger.Entries, e => e.Message.StartsWith("Embedding cache read", StringComparison.Ordinal));
        Assert.Equal(1201, read.Properties["Requested"]);
        Assert.Equal(1200, read.Properties["Found"]);
        Assert.True((double)read.Properties["RequestCharge"]! > 0);
        var written = Assert.Single(logger.Entries, e => e.Message.StartsWith("Embedding cache write", StringComparison.Ordinal));
        Assert.Equal(1200, written.Properties["Count"]);
        Assert.True((double)written.Properties["RequestCharge"]! >= 1200);
    }

    [Fact]
    public async Task ExpiredItemsAreMissesEvenThoughTheLocalServerKeepsThem()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = cosmos.Container("embeddings", timeToLive: TimeSpan.FromHours(1));
        var store = Create(options, time);
        await store.SetManyAsync([new("k", [1f, 2f])], _ct);

        time.Advance(TimeSpan.FromMinutes(59));
        Assert.Single(await store.GetManyAsync(["k"], _ct));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(await store.GetManyAsync(["k"], _ct));
    }

    [Fact]
    public async Task ItemsCarryTtlAndExpiryOnlyWhenATimeToLiveIsSet()
    {
        var withTtl = cosmos.Container("embeddings", timeToLive: TimeSpan.FromDays(7));
        var without = cosmos.Container("embeddings");
        await Create(withTtl).SetManyAsync([new("k", [1f])], _ct);
        await Create(without).SetManyAsync([new("k", [1f])], _ct);

        var stored = await ReadRawAsync(withTtl, "k");
        Assert.Equal(7 * 24 * 3600, stored.GetProperty("ttl").GetInt32());
        Assert.True(stored.GetProperty("expiresAt").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var plain = await ReadRawAsync(without, "k");
        Assert.False(plain.TryGetProperty("ttl", out _));
        Assert.False(plain.TryGetProperty("expiresAt", out _));
    }

    [Fact]
    public async Task VectorsAreStoredAsBase64OfFloat32AboutHalfTheSizeOfANumberArray()
    {
        var options = cosmos.Container("embeddings");
        var store = Create(options);
        var random = new Random(42);
        foreach (var dimensions in new[] { 384, 1536, 3072 })
        {
            var vector = Enumerable.Range(0, dimensions).Select(_ => (float)(random.NextDouble() * 0.2 - 0.1)).ToArray();
            var key = $"d{dimensions}";
            await store.SetManyAsync([new(key, vector)], _ct);

            var stored = await ReadRawAsync(options, key);
            Assert.Equal(dimensions * 4, Convert.FromBase64String(stored.GetProperty("vector").GetString()!).Length);
            var base64Bytes = JsonSerializer.SerializeToUtf8Bytes(new { id = key, vector = Convert.ToBase64String(VectorBytes.ToBytes(vector)) }).Length;
            var arrayBytes = JsonSerializer.SerializeToUtf8Bytes(new { id = key, vector }).Length;
            output.WriteLine($"{dimensions} dimensions: base64 item {base64Bytes} B, number-array item {arrayBytes} B");
            Assert.True(base64Bytes < arrayBytes * 0.6, $"{dimensions} dims: base64 item {base64Bytes} B vs number array {arrayBytes} B");
        }
    }

    [Fact]
    public async Task TheContainerIsCreatedWithPartitionKeyIdNoIndexedPathsAndTtlSwitchedOn()
    {
        var options = cosmos.Container("embeddings");
        await Create(options).SetManyAsync([new("k", [1f])], _ct);

        var properties = (await _clients.GetClient(options).GetContainer(options.Database, options.Container).ReadContainerAsync(cancellationToken: _ct)).Resource;
        Assert.Equal("/id", properties.PartitionKeyPath);
        Assert.Equal(-1, properties.DefaultTimeToLive);
        Assert.Contains(properties.IndexingPolicy.ExcludedPaths, p => p.Path == "/*");
    }

    [Fact]
    public async Task WithoutCreateIfMissingAMissingContainerIsAnError()
    {
        var options = cosmos.Container("embeddings");
        options.CreateIfMissing = false;
        await Assert.ThrowsAnyAsync<Exception>(() => Create(options).SetManyAsync([new("k", [1f])], _ct));
    }

    private async Task<JsonElement> ReadRawAsync(CosmosContainerOptions options, string id)
    {
        var container = _clients.GetClient(options).GetContainer(options.Database, options.Container);
        var item = await container.ReadItemAsync<JsonElement>(id, new Microsoft.Azure.Cosmos.PartitionKey(id), cancellationToken: _ct);
        return item.Resource;
    }

    public void Dispose() => _clients.Dispose();
}

/// <summary>The emulator's way: TLS with a self-signed certificate, accepted through the connection string's switch.</summary>
public sealed class CosmosSelfSignedCertificateTests : IAsyncLifetime
{
    private readonly CosmosServerFixture _server = CosmosServerFixture.WithHttps();

    [Fact]
    public async Task AConnectionStringWithDisableServerCertificateValidationWorksOverHttps()
    {
        Assert.Equal("https", _server.Endpoint.Scheme);
        using var clients = new CosmosClientFactory(() => throw new InvalidOperationException("No credential in local tests."));
        var options = _server.Container("embeddings");
        Assert.Contains("DisableServerCertificateValidation=True", options.ConnectionString, StringComparison.Ordinal);
        var store = new CosmosEmbeddingCacheStore(new CosmosContainerConnection(clients.GetClient(options), options, NullLogger.Instance), TimeProvider.System, NullLogger<CosmosEmbeddingCacheStore>.Instance);

        await store.SetManyAsync([new("k", [1f, 2f])], CancellationToken.None);

        Assert.Equal(new float[] { 1f, 2f }, (await store.GetManyAsync(["k"], CancellationToken.None))["k"]);
    }

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();
}
