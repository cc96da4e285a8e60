using System.Net;
using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using SemanticSearch.AzureBackends.AzureAISearch;
using SemanticSearch.Indexing;

namespace SemanticSearch.AzureBackends.CosmosDB;

/// <summary>
/// The encoder identity and generation of an Azure AI Search index, as one small Cosmos DB item (id = index name) that
/// every instance reads. The generation is increased with optimistic concurrency: read the item with its ETag, write
/// generation + 1 only if the ETag still matches (<c>If-Match</c>), and on 412 read again and retry. No increment is
/// ever lost, and each writer gets a distinct new generation. A read is one point read (about 1 RU), which is what
/// every search pays to learn the generation its cached answer must match.
/// </summary>
/// <remarks>
/// Cosmos DB was chosen over the alternatives: a reserved document inside the search index has no ETag (Azure AI
/// Search documents support no conditional writes) and would have to be filtered out of every query; the index
/// definition has an ETag but no place for arbitrary data in API 2023-11-01, and each update is a control-plane
/// operation; a blob would bring a Storage dependency into a library whose other shared state already lives in Cosmos.
/// </remarks>
public sealed partial class CosmosSearchIndexStateStore : ISearchIndexStateStore
{
    /// <summary>Conditional writes tried before giving up under extreme contention.</summary>
    public const int MaxConcurrencyAttempts = 50;

    private readonly CosmosContainerConnection _connection;
    private readonly string _indexName;
    private readonly ILogger _logger;
    private readonly bool _localStandIn;

    public CosmosSearchIndexStateStore(CosmosContainerConnection connection, string indexName, ILogger<CosmosSearchIndexStateStore> logger)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        ArgumentException.ThrowIfNullOrEmpty(indexName);
        _indexName = indexName;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _localStandIn = CosmosClientFactory.IsLocal(connection.Options);
    }

    public async Task<SearchIndexState?> ReadAsync(CancellationToken cancellationToken)
    {
        var container = await _connection.GetAsync(cancellationToken).ConfigureAwait(false);
        var read = await CosmosItemReader.ReadAsync<Item>(container, _indexName, _localStandIn, cancellationToken).ConfigureAwait(false);
        return read?.Value.ToState();
    }

    public async Task<SearchIndexState> GetOrCreateAsync(VectorSpace encoder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var container = await _connection.GetAsync(cancellationToken).ConfigureAwait(false);
        var read = await CosmosItemReader.ReadAsync<Item>(container, _indexName, _localStandIn, cancellationToken).ConfigureAwait(false);
        if (read is not null)
        {
            return read.Value.ToState();
        }
        var item = new Item { Id = _indexName, ModelId = encoder.ModelId, Dimensions = encoder.Dimensions, Generation = 0 };
        using var created = await container.CreateItemStreamAsync(Serialize(item), new PartitionKey(_indexName), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (created.StatusCode == HttpStatusCode.Conflict)
        {
            // Another instance recorded it first: theirs is the state.
            return (await ReadAsync(cancellationToken).ConfigureAwait(false))
                ?? throw new InvalidOperationException($"The state of index {_indexName} was created and then disappeared.");
        }
        created.EnsureSuccessStatusCode();
        LogRecorded(_logger, _indexName, encoder);
        return item.ToState();
    }

    public Task<SearchIndexState> SetVectorSpaceAsync(VectorSpace encoder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        return UpdateAsync(item => new Item { Id = item.Id, ModelId = encoder.ModelId, Dimensions = encoder.Dimensions, Generation = item.Generation + 1 }, cancellationToken);
    }

    public async Task<long> IncrementGenerationAsync(CancellationToken cancellationToken) =>
        (await UpdateAsync(item => new Item { Id = item.Id, ModelId = item.ModelId, Dimensions = item.Dimensions, Generation = item.Generation + 1 }, cancellationToken).ConfigureAwait(false)).Generation;

    private async Task<SearchIndexState> UpdateAsync(Func<Item, Item> change, CancellationToken cancellationToken)
    {
        var container = await _connection.GetAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var read = await CosmosItemReader.ReadAsync<Item>(container, _indexName, _localStandIn, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Index {_indexName} has no recorded state; initialize the index first.");
            var updated = change(read.Value);
            using var response = await container.ReplaceItemStreamAsync(
                Serialize(updated), _indexName, new PartitionKey(_indexName), new ItemRequestOptions { IfMatchEtag = read.ETag }, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                LogUpdated(_logger, _indexName, updated.Generation, attempt, read.RequestCharge + response.Headers.RequestCharge);
                return updated.ToState();
            }
            if (response.StatusCode != HttpStatusCode.PreconditionFailed || attempt >= MaxConcurrencyAttempts)
            {
                response.EnsureSuccessStatusCode();
                throw new InvalidOperationException($"The generation of index {_indexName} could not be increased after {attempt} attempts: other instances kept changing it.");
            }
            // Someone else moved it between our read and our write: back off a little, at random, and read again.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * Math.Min(attempt, 10))), cancellationToken).ConfigureAwait(false);
        }
    }

    private static MemoryStream Serialize(Item item) =>
        new(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(item, CosmosClientFactory.SerializerOptions));

    /// <summary>The state as stored.</summary>
    public sealed class Item
    {
        [JsonPropertyName("id")]
        public required string Id { get; init; }

        public required string ModelId { get; init; }

        public int Dimensions { get; init; }

        public long Generation { get; init; }

        public SearchIndexState ToState() => new(ModelId, Dimensions, Generation);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recorded encoder {Encoder} for index {IndexName}")]
    private static partial void LogRecorded(ILogger logger, string indexName, VectorSpace encoder);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Index {IndexName} is now at generation {Generation} (attempt {Attempt}, {RequestCharge} RU)")]
    private static partial void LogUpdated(ILogger logger, string indexName, long generation, int attempt, double requestCharge);
}
