using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;

namespace SemanticSearch.Azure.Cosmos;

/// <summary>
/// A point read that tells "absent" from "failed". Azure answers 404 for a missing item; the local stand-in
/// (@vercel/cosmosdb-server) answers 500 with an empty message instead, so for a local account (connection string)
/// an item is confirmed absent with a ReadMany of its id, which both answer correctly, before 500 is taken to mean it.
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
        if (response.StatusCode == HttpStatusCode.InternalServerError && localStandIn)
        {
            var many = await container.ReadManyItemsStreamAsync([(id, new PartitionKey(id))], cancellationToken: cancellationToken).ConfigureAwait(false);
            using (many)
            {
                many.EnsureSuccessStatusCode();
                using var document = await JsonDocument.ParseAsync(many.Content, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (document.RootElement.TryGetProperty("Documents", out var documents) && documents.GetArrayLength() == 0)
                {
                    return null;
                }
            }
        }
        response.EnsureSuccessStatusCode();
        var item = await JsonSerializer.DeserializeAsync<T>(response.Content, CosmosClientFactory.SerializerOptions, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"Cosmos DB item {id} is empty.");
        return new CosmosItem<T>(item, response.Headers.ETag, response.Headers.RequestCharge);
    }
}

/// <summary>An item as read, with the ETag to make a conditional write against and what the read cost.</summary>
public sealed record CosmosItem<T>(T Value, string ETag, double RequestCharge);
