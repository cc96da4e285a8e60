using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using SemanticSearch.Chunking;
using SemanticSearch.Ingestion;
using SemanticSearch.Sync;

namespace SemanticSearch.AzureBackends.CosmosDB;

/// <summary>
/// Document statuses shared by every instance, in one Cosmos DB container. The item id is the SHA-256 of the
/// document id, because document ids are blob names and paths ("reports/2024/q1.pdf") while Cosmos ids may not hold
/// '/', '\', '?' or '#' and are limited to 255 characters; the document id itself is a property.
/// </summary>
public sealed partial class CosmosDocumentStatusStore : IDocumentStatusStore
{
    private readonly CosmosContainerConnection _connection;
    private readonly ILogger _logger;
    private readonly bool _localStandIn;

    public CosmosDocumentStatusStore(CosmosContainerConnection connection, ILogger<CosmosDocumentStatusStore> logger)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _localStandIn = CosmosClientFactory.IsLocal(connection.Options);
    }

    public string Name => "cosmos";

    public static string ItemId(string documentId) => ContentHash.Of(documentId);

    public async Task<DocumentStatus?> GetAsync(string documentId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        var container = await _connection.GetAsync(cancellationToken).ConfigureAwait(false);
        var item = await CosmosItemReader.ReadAsync<Item>(container, ItemId(documentId), _localStandIn, cancellationToken).ConfigureAwait(false);
        return item?.Value.ToStatus();
    }

    /// <summary>
    /// Pages in the container's own order with the service's continuation (an ORDER BY across partitions needs an
    /// index on the path, which a container this app creates does not keep); the service's token is wrapped so a
    /// caller's token can be told apart from garbage.
    /// </summary>
    public async Task<DocumentStatusPage> ListAsync(int top, string? continuationToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var serviceToken = continuationToken is null ? null : ContinuationToken.Decode(continuationToken);
        var container = await _connection.GetAsync(cancellationToken).ConfigureAwait(false);
        var statuses = new List<DocumentStatus>(Math.Min(top, 1024));
        double charge = 0;
        try
        {
            // A page of the feed may hold fewer items than asked even when more follow: keep reading, never past top.
            while (statuses.Count < top)
            {
                using var feed = container.GetItemQueryIterator<Item>(
                    new QueryDefinition("SELECT * FROM c"), serviceToken, new QueryRequestOptions { MaxItemCount = top - statuses.Count });
                if (!feed.HasMoreResults)
                {
                    serviceToken = null;
                    break;
                }
                var page = await feed.ReadNextAsync(cancellationToken).ConfigureAwait(false);
                charge += page.RequestCharge;
                statuses.AddRange(page.Select(i => i.ToStatus()));
                serviceToken = page.ContinuationToken;
                if (serviceToken is null)
                {
                    break;
                }
            }
        }
        catch (CosmosException ex) when (ex.StatusCode == System.Net.HttpStatusCode.BadRequest && continuationToken is not null)
        {
            throw new FormatException("The continuation token is not one this service issued.", ex);
        }
        LogListed(_logger, statuses.Count, charge);
        return new DocumentStatusPage(statuses, serviceToken is null ? null : ContinuationToken.Encode(serviceToken));
    }

    /// <summary>
    /// The range asked of Cosmos DB (a filter on <c>documentId</c>, which the container's default indexing serves), in
    /// pages with the service's continuation: no status is read twice per page of a fanned-out reconcile.
    /// </summary>
    public async IAsyncEnumerable<DocumentStatus> ListRangeAsync(DocumentIdRange range, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        var container = await _connection.GetAsync(cancellationToken).ConfigureAwait(false);
        var conditions = new List<string>();
        if (range.After is not null)
        {
            conditions.Add("c.documentId > @after");
        }
        if (range.Through is not null)
        {
            conditions.Add("c.documentId <= @through");
        }
        var query = new QueryDefinition("SELECT * FROM c" + (conditions.Count > 0 ? " WHERE " + string.Join(" AND ", conditions) : string.Empty));
        if (range.After is not null)
        {
            query = query.WithParameter("@after", range.After);
        }
        if (range.Through is not null)
        {
            query = query.WithParameter("@through", range.Through);
        }
        using var feed = container.GetItemQueryIterator<Item>(query, requestOptions: new QueryRequestOptions { MaxItemCount = DocumentStatusStoreExtensions.ListPageSize });
        while (feed.HasMoreResults)
        {
            var page = await feed.ReadNextAsync(cancellationToken).ConfigureAwait(false);
            LogListed(_logger, page.Count, page.RequestCharge);
            foreach (var item in page)
            {
                var status = item.ToStatus();
                // Cosmos compares strings by its own rules; the range is ordinal, so the edges are checked again here.
                if (range.Contains(status.DocumentId))
                {
                    yield return status;
                }
            }
        }
    }

    public async Task SetAsync(DocumentStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        var container = await _connection.GetAsync(cancellationToken).ConfigureAwait(false);
        var item = Item.From(status);
        var response = await container.UpsertItemAsync(item, new PartitionKey(item.Id), new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken).ConfigureAwait(false);
        LogWritten(_logger, status.DocumentId, status.State, response.RequestCharge);
    }

    public async Task RemoveAsync(string documentId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        var container = await _connection.GetAsync(cancellationToken).ConfigureAwait(false);
        var id = ItemId(documentId);
        // The stream API reports a missing item as a status instead of an exception: removing twice is fine.
        using var response = await container.DeleteItemStreamAsync(id, new PartitionKey(id), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && response.StatusCode != System.Net.HttpStatusCode.NotFound
            && !(_localStandIn && response.StatusCode == System.Net.HttpStatusCode.InternalServerError))
        {
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>A document status as stored.</summary>
    public sealed class Item
    {
        [JsonPropertyName("id")]
        public required string Id { get; init; }

        public required string DocumentId { get; init; }

        public required string State { get; init; }

        public int Chunks { get; init; }

        public int EmbeddingsComputed { get; init; }

        public int EmbeddingsReused { get; init; }

        public string? Error { get; init; }

        public DateTimeOffset UpdatedAt { get; init; }

        public string? ContentHash { get; init; }

        public string? PipelineVersion { get; init; }

        public string? SourceVersion { get; init; }

        public DateTimeOffset? SourceModifiedAt { get; init; }

        public static Item From(DocumentStatus status) => new()
        {
            Id = ItemId(status.DocumentId),
            DocumentId = status.DocumentId,
            State = status.State.ToString(),
            Chunks = status.Chunks,
            EmbeddingsComputed = status.EmbeddingsComputed,
            EmbeddingsReused = status.EmbeddingsReused,
            Error = status.Error,
            UpdatedAt = status.UpdatedAt.ToUniversalTime(),
            ContentHash = status.ContentHash,
            PipelineVersion = status.PipelineVersion,
            SourceVersion = status.SourceVersion,
            SourceModifiedAt = status.SourceModifiedAt?.ToUniversalTime(),
        };

        public DocumentStatus ToStatus() => new()
        {
            DocumentId = DocumentId,
            State = Enum.Parse<DocumentState>(State),
            Chunks = Chunks,
            EmbeddingsComputed = EmbeddingsComputed,
            EmbeddingsReused = EmbeddingsReused,
            Error = Error,
            UpdatedAt = UpdatedAt,
            ContentHash = ContentHash,
            PipelineVersion = PipelineVersion,
            SourceVersion = SourceVersion,
            SourceModifiedAt = SourceModifiedAt,
        };
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Document status of {DocumentId} set to {State}, {RequestCharge} RU")]
    private static partial void LogWritten(ILogger logger, string documentId, DocumentState state, double requestCharge);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Listed {Count} document statuses, {RequestCharge} RU")]
    private static partial void LogListed(ILogger logger, int count, double requestCharge);
}
