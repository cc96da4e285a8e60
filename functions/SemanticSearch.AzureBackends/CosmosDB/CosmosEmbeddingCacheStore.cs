using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using SemanticSearch.Embeddings;

namespace SemanticSearch.AzureBackends.CosmosDB;

/// <summary>
/// The embedding cache shared by every instance: one Cosmos DB container, item id = <see cref="EmbeddingCacheKey"/>,
/// partition key <c>/id</c>. A batch of keys is one <c>ReadManyItemsAsync</c>; the misses are upserted concurrently.
/// </summary>
/// <remarks>
/// <para>
/// The vector is stored as base64 of its little-endian float32 bytes (<see cref="VectorBytes"/>): 5.33 characters a
/// dimension against 10–12 for a JSON number array, so items are about half the size, and RU charges for reads and
/// writes grow with item size. It is also exact (no decimal round trip) and, being one string, adds nothing to the
/// index even where a container indexes every path (ours index none: see <see cref="CosmosContainerConnection"/>).
/// </para>
/// <para>
/// No service limit caps how many items one ReadMany may ask for: the SDK itself splits the ids by physical partition
/// and into queries of at most 1,000 ids, run in parallel, and follows continuations. So every call here is one
/// ReadMany, whatever the batch size.
/// </para>
/// <para>
/// With <see cref="Configuration.CosmosContainerOptions.TimeToLive"/> each item carries a <c>ttl</c> (Azure deletes
/// it) and an <c>expiresAt</c> (Unix seconds) that reads check, because a local stand-in never expires anything.
/// </para>
/// </remarks>
public sealed partial class CosmosEmbeddingCacheStore : IEmbeddingCacheStore
{
    /// <summary>Upserts in flight at once when writing misses back: enough to hide latency, few enough not to burst RUs.</summary>
    public const int MaxConcurrentWrites = 16;

    private readonly CosmosContainerConnection _connection;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public CosmosEmbeddingCacheStore(CosmosContainerConnection connection, TimeProvider time, ILogger<CosmosEmbeddingCacheStore> logger)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public string Name => "cosmos";

    public async Task<IReadOnlyDictionary<string, float[]>> GetManyAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<string, float[]>(keys.Count, StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return found;
        }
        var container = await _connection.GetAsync(cancellationToken).ConfigureAwait(false);
        var items = keys.Distinct(StringComparer.Ordinal).Select(k => (k, new PartitionKey(k))).ToList();
        var response = await container.ReadManyItemsAsync<Item>(items, cancellationToken: cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var expired = 0;
        foreach (var item in response)
        {
            if (item.ExpiresAt is { } expiresAt && expiresAt <= now)
            {
                expired++;
                continue;
            }
            try
            {
                found[item.Id] = VectorBytes.ToVector(Convert.FromBase64String(item.Vector));
            }
            catch (Exception ex) when (ex is FormatException or InvalidDataException)
            {
                // A damaged item is a miss: the vector is computed again and the item overwritten.
                LogDamaged(_logger, item.Id, ex.Message);
            }
        }
        LogRead(_logger, items.Count, found.Count, expired, response.RequestCharge);
        return found;
    }

    public async Task SetManyAsync(IReadOnlyCollection<KeyValuePair<string, float[]>> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }
        var container = await _connection.GetAsync(cancellationToken).ConfigureAwait(false);
        var ttl = _connection.Options.TimeToLive;
        var expiresAt = ttl is { } lifetime ? _time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds() : (long?)null;
        var ttlSeconds = ttl is { } seconds ? (int)Math.Clamp(Math.Ceiling(seconds.TotalSeconds), 1, int.MaxValue) : (int?)null;
        var options = new ItemRequestOptions { EnableContentResponseOnWrite = false };
        double charge = 0;
        var gate = new object();
        await Parallel.ForEachAsync(
            entries,
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentWrites, CancellationToken = cancellationToken },
            async (entry, token) =>
            {
                var item = new Item
                {
                    Id = entry.Key,
                    Vector = Convert.ToBase64String(VectorBytes.ToBytes(entry.Value)),
                    Dimensions = entry.Value.Length,
                    ExpiresAt = expiresAt,
                    TimeToLive = ttlSeconds,
                };
                var response = await container.UpsertItemAsync(item, new PartitionKey(item.Id), options, token).ConfigureAwait(false);
                lock (gate)
                {
                    charge += response.RequestCharge;
                }
            }).ConfigureAwait(false);
        LogWritten(_logger, entries.Count, charge);
    }

    /// <summary>One cached vector as stored.</summary>
    public sealed class Item
    {
        [JsonPropertyName("id")]
        public required string Id { get; init; }

        /// <summary>Base64 of the little-endian float32 bytes.</summary>
        [JsonPropertyName("vector")]
        public required string Vector { get; init; }

        /// <summary>For people reading the container; the key already holds the dimensions.</summary>
        [JsonPropertyName("dimensions")]
        public int Dimensions { get; init; }

        /// <summary>Unix seconds after which the item is treated as absent, whether or not Azure has deleted it yet.</summary>
        [JsonPropertyName("expiresAt")]
        public long? ExpiresAt { get; init; }

        /// <summary>Seconds until Azure deletes the item (Cosmos DB's per-item time to live).</summary>
        [JsonPropertyName("ttl")]
        public int? TimeToLive { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Embedding cache read: {Requested} keys, {Found} found, {Expired} expired, {RequestCharge} RU")]
    private static partial void LogRead(ILogger logger, int requested, int found, int expired, double requestCharge);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Embedding cache write: {Count} vectors upserted, {RequestCharge} RU")]
    private static partial void LogWritten(ILogger logger, int count, double requestCharge);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedding cache item {Key} is damaged and was ignored: {Error}")]
    private static partial void LogDamaged(ILogger logger, string key, string error);
}
