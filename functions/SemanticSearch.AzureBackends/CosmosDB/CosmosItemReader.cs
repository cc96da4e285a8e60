using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;

namespace SemanticSearch.AzureBackends.CosmosDB;

/// <summary>
/// A point read that tells "absent" from "failed". Azure answers 404 for a missing item; the local stand-in
/// (@vercel/cosmosdb-server) answers 500 instead, so for a local account (connection string) an item is confirmed
/// absent with a single-partition query for its id before 500 is taken to mean it. (A ReadMany of one id will not do:
/// the SDK turns it into the same point read.)
/// </summary>
public static class CosmosItemReader
{
    public static async Task<CosmosItem<T>?> ReadAsync<T>(Container container, string id, bool localStandIn, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(container);
        using var response = await container.ReadItemStreamAsync(id, new PartitionKey(id), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        if (response.StatusCode == HttpStatusCode.InternalServerError && localStandIn && !await ExistsAsync(container, id, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        var item = await JsonSerializer.DeserializeAsync<T>(response.Content, CosmosClientFactory.SerializerOptions, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"Cosmos DB item {id} is empty.");
        return new CosmosItem<T>(item, response.Headers.ETag, response.Headers.RequestCharge);
    }

    private static async Task<bool> ExistsAsync(Container container, string id, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT VALUE c.id FROM c WHERE c.id = @id").WithParameter("@id", id);
        using var feed = container.GetItemQueryIterator<string>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(id) });
        while (feed.HasMoreResults)
        {
            if ((await feed.ReadNextAsync(cancellationToken).ConfigureAwait(false)).Count > 0)
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>An item as read, with the ETag to make a conditional write against and what the read cost.</summary>
public sealed record CosmosItem<T>(T Value, string ETag, double RequestCharge);