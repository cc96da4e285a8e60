using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SemanticSearch.Diagnostics;
using SemanticSearch.Embedded.Sqlite;
using SemanticSearch.Embeddings;

namespace SemanticSearch.Tests.Embeddings;

public sealed class CachingEmbeddingGeneratorTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly CancellationToken _ct = CancellationToken.None;

    private BatchCachingEmbeddingGenerator Create(IEmbeddingGenerator<string, Embedding<float>> encoder, IEmbeddingCacheStore store) =>
        new(encoder, store, new SemanticSearchMetrics(_services.GetRequiredService<IMeterFactory>()), NullLogger<BatchCachingEmbeddingGenerator>.Instance);

    [Fact]
    public async Task ComputesOnlyMissesAndReturnsVectorsInOrder()
    {
        var encoder = new HashingEmbeddingGenerator();
        var store = new CountingStore(new SqliteEmbeddingCacheStore(_folder.File("cache.db")));
        var generator = Create(encoder, store);

        var first = await generator.GenerateAsync(["alpha", "beta"], cancellationToken: _ct);
        var second = await generator.GenerateAsync(["beta", "gamma", "alpha"], cancellationToken: _ct);

        Assert.Equal([["alpha", "beta"], ["gamma"]], encoder.Calls);
        Assert.Equal(HashingEmbeddingGenerator.Embed("gamma", 64), second[1].Vector.ToArray());
        Assert.Equal(first[0].Vector.ToArray(), second[2].Vector.ToArray());
        Assert.Equal(1, second.AdditionalProperties![BatchCachingEmbeddingGenerator.ComputedProperty]);
        Assert.Equal(2, second.AdditionalProperties![BatchCachingEmbeddingGenerator.ReusedProperty]);
        // One batched read per call, whatever the batch size; one write only when something was computed.
        Assert.Equal(2, store.Reads);
        Assert.Equal(2, store.Writes);
    }

    [Fact]
    public async Task DuplicatesInABatchAreComputedOnce()
    {
        var encoder = new HashingEmbeddingGenerator();
        var generator = Create(encoder, new SqliteEmbeddingCacheStore(_folder.File("cache.db")));

        var result = await generator.GenerateAsync(["same", "same", "other", "same"], cancellationToken: _ct);

        Assert.Equal([["same", "other"]], encoder.Calls);
        Assert.Equal(4, result.Count);
        Assert.Equal(2, result.AdditionalProperties![BatchCachingEmbeddingGenerator.ComputedProperty]);
    }

    [Fact]
    public async Task TextsThatNormalizeAlikeShareAnEntry()
    {
        var encoder = new HashingEmbeddingGenerator();
        var generator = Create(encoder, new SqliteEmbeddingCacheStore(_folder.File("cache.db")));

        await generator.GenerateAsync(["a  b\n c"], cancellationToken: _ct);
        await generator.GenerateAsync(["a b c"], cancellationToken: _ct);

        Assert.Single(encoder.Calls);
    }

    [Fact]
    public async Task QueriesAndPassagesAreCachedApart()
    {
        var encoder = new HashingEmbeddingGenerator();
        var generator = Create(encoder, new SqliteEmbeddingCacheStore(_folder.File("cache.db")));

        await generator.GenerateAsync(["text"], new EmbeddingGenerationOptions().ForInputKind(EmbeddingInputKind.Passage), _ct);
        await generator.GenerateAsync(["text"], new EmbeddingGenerationOptions().ForInputKind(EmbeddingInputKind.Query), _ct);

        Assert.Equal(2, encoder.Calls.Count);
    }

    [Fact]
    public async Task AnotherModelNeverReadsThisModelsVectors()
    {
        var store = new SqliteEmbeddingCacheStore(_folder.File("cache.db"));
        await Create(new HashingEmbeddingGenerator(64, "model-a"), store).GenerateAsync(["text"], cancellationToken: _ct);
        var other = new HashingEmbeddingGenerator(64, "model-b");

        await Create(other, store).GenerateAsync(["text"], cancellationToken: _ct);

        Assert.Single(other.Calls);
    }

    [Fact]
    public async Task SurvivesAReopenedStore()
    {
        await Create(new HashingEmbeddingGenerator(), new SqliteEmbeddingCacheStore(_folder.File("cache.db"))).GenerateAsync(["persisted"], cancellationToken: _ct);
        var encoder = new HashingEmbeddingGenerator();

        var result = await Create(encoder, new SqliteEmbeddingCacheStore(_folder.File("cache.db"))).GenerateAsync(["persisted"], cancellationToken: _ct);

        Assert.Empty(encoder.Calls);
        Assert.Equal(HashingEmbeddingGenerator.Embed("persisted", 64), result[0].Vector.ToArray());
    }

    [Fact]
    public async Task ABrokenCacheDegradesToComputingEverything()
    {
        var encoder = new HashingEmbeddingGenerator();
        var generator = Create(encoder, new FailingStore());

        var result = await generator.GenerateAsync(["a", "b"], cancellationToken: _ct);

        Assert.Equal(2, result.Count);
        Assert.Equal(2, encoder.TextsEmbedded);
    }

    public void Dispose()
    {
        _services.Dispose();
        _folder.Dispose();
    }

    private sealed class CountingStore(IEmbeddingCacheStore inner) : IEmbeddingCacheStore
    {
        public int Reads { get; private set; }

        public int Writes { get; private set; }

        public string Name => inner.Name;

        public Task<IReadOnlyDictionary<string, float[]>> GetManyAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
        {
            Reads++;
            return inner.GetManyAsync(keys, cancellationToken);
        }

        public Task SetManyAsync(IReadOnlyCollection<KeyValuePair<string, float[]>> entries, CancellationToken cancellationToken)
        {
            Writes++;
            return inner.SetManyAsync(entries, cancellationToken);
        }
    }

    private sealed class FailingStore : IEmbeddingCacheStore
    {
        public string Name => "failing";

        public Task<IReadOnlyDictionary<string, float[]>> GetManyAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
            throw new IOException("cache down");

        public Task SetManyAsync(IReadOnlyCollection<KeyValuePair<string, float[]>> entries, CancellationToken cancellationToken) =>
            throw new IOException("cache down");
    }
}
