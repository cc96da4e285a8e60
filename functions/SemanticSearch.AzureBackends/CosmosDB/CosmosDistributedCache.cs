using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using SemanticSearch.Chunking;

namespace SemanticSearch.AzureBackends.CosmosDB;

/// <summary>
/// An <see cref="IDistributedCache"/> in a Cosmos DB container: HybridCache's second tier, so one instance's search
/// answer serves every other instance. Item id = SHA-256 of the cache key (keys may be longer than Cosmos' 255
/// characters and hold '/', '\', '?' or '#', which ids may not); the key itself is stored and compared on read.
/// </summary>
/// <remarks>
/// The expiry is stored as an absolute time and checked on every read, and each item also gets a Cosmos <c>ttl</c> so
/// Azure deletes it; the local stand-in never deletes anything, which the stored expiry covers. Sliding expiration
/// (unused by HybridCache, but part of the contract) moves the stored expiry forward on each read, never beyond an
/// absolute expiry if one was also given.
/// </remarks>
public sealed partial class CosmosDistributedCache : IDistributedCache
{
    private readonly CosmosContainerConnection _connection;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _localStandIn;

    public CosmosDistributedCache(CosmosContainerConnection connection, TimeProvider time, ILogger<CosmosDistributedCache> logger)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _localStandIn = CosmosClientFactory.IsLocal(connection.Options);
    }

    public static string ItemId(string key) => ContentHash.Of(key);

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var container = await _connection.GetAsync(token).ConfigureAwait(false);
        var read = await CosmosItemReader.ReadAsync<Item>(container, ItemId(key), _localStandIn, token).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (read is null || read.Value.Key != key || read.Value.ExpiresAt is { } expiresAt && expiresAt <= now.ToUnixTimeMilliseconds())
        {
            LogRead(_logger, "miss", read?.RequestCharge ?? 0);
            return null;
        }
        LogRead(_logger, "hit", read.RequestCharge);
        if (read.Value.SlidingSeconds is not null)
        {
            await SlideAsync(container, read.Value, now, token).ConfigureAwait(false);
        }
        return read.Value.Value;
    }

    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    public async Task RefreshAsync(string key, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var container = await _connection.GetAsync(token).ConfigureAwait(false);
        var read = await CosmosItemReader.ReadAsync<Item>(container, ItemId(key), _localStandIn, token).ConfigureAwait(false);
        if (read is { Value.SlidingSeconds: not null } && read.Value.Key == key)
        {
            await SlideAsync(container, read.Value, _time.GetUtcNow(), token).ConfigureAwait(false);
        }
    }

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public async Task RemoveAsync(string key, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var container = await _connection.GetAsync(token).ConfigureAwait(false);
        var id = ItemId(key);
        using var response = await container.DeleteItemStreamAsync(id, new PartitionKey(id), cancellationToken: token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && response.StatusCode != System.Net.HttpStatusCode.NotFound
            && !(_localStandIn && response.StatusCode == System.Net.HttpStatusCode.InternalServerError))
        {
            response.EnsureSuccessStatusCode();
        }
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        var now = _time.GetUtcNow();
        var absolute = options.AbsoluteExpiration
            ?? (options.AbsoluteExpirationRelativeToNow is { } relative ? now + relative : (DateTimeOffset?)null)
            ?? (_connection.Options.TimeToLive is { } fallback ? now + fallback : (DateTimeOffset?)null);
        if (absolute is { } already && already <= now)
        {
            return;
        }
        var sliding = options.SlidingExpiration;
        var expiresAt = sliding is { } window ? Earliest(now + window, absolute) : absolute;
        var item = new Item
        {
            Id = ItemId(key),
            Key = key,
            Value = value,
            ExpiresAt = expiresAt?.ToUnixTimeMilliseconds(),
            AbsoluteExpiresAt = absolute?.ToUnixTimeMilliseconds(),
            SlidingSeconds = sliding is { } s ? Math.Max(1, (int)Math.Ceiling(s.TotalSeconds)) : null,
            TimeToLive = TimeToLive(expiresAt, now),
        };
        var container = await _connection.GetAsync(token).ConfigureAwait(false);
        var response = await container.UpsertItemAsync(item, new PartitionKey(item.Id), new ItemRequestOptions { EnableContentResponseOnWrite = false }, token).ConfigureAwait(false);
        LogWritten(_logger, value.Length, response.RequestCharge);
    }

    private static async Task SlideAsync(Container container, Item item, DateTimeOffset now, CancellationToken token)
    {
        DateTimeOffset? absolute = item.AbsoluteExpiresAt is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        var expiresAt = Earliest(now + TimeSpan.FromSeconds(item.SlidingSeconds!.Value), absolute);
        await container.PatchItemAsync<Item>(
            item.Id,
            new PartitionKey(item.Id),
            [
                PatchOperation.Set("/expiresAt", expiresAt.ToUnixTimeMilliseconds()),
                PatchOperation.Set("/ttl", TimeToLive(expiresAt, now)),
            ],
            new PatchItemRequestOptions { EnableContentResponseOnWrite = false },
            token).ConfigureAwait(false);
    }

    private static DateTimeOffset Earliest(DateTimeOffset candidate, DateTimeOffset? cap) => cap is { } limit && limit < candidate ? limit : candidate;

    private static int? TimeToLive(DateTimeOffset? expiresAt, DateTimeOffset now) =>
        expiresAt is { } at ? (int)Math.Clamp(Math.Ceiling((at - now).TotalSeconds), 1, int.MaxValue) : null;

    /// <summary>One cache entry as stored.</summary>
    public sealed class Item
    {
        [JsonPropertyName("id")]
        public required string Id { get; init; }

        public required string Key { get; init; }

        /// <summary>The payload (System.Text.Json writes bytes as base64).</summary>
        public required byte[] Value { get; init; }

        /// <summary>Unix milliseconds after which the entry is absent, whatever the store still holds.</summary>
        public long? ExpiresAt { get; init; }

        /// <summary>The cap a sliding expiry never moves past.</summary>
        public long? AbsoluteExpiresAt { get; init; }

        public int? SlidingSeconds { get; init; }

        [JsonPropertyName("ttl")]
        public int? TimeToLive { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Result cache read: {Outcome}, {RequestCharge} RU")]
    private static partial void LogRead(ILogger logger, string outcome, double requestCharge);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Result cache write: {Bytes} bytes, {RequestCharge} RU")]
    private static partial void LogWritten(ILogger logger, int bytes, double requestCharge);
}
