using System.Text;
using System.Text.Json;

namespace SemanticSearch.Testing;

/// <summary>Blob Storage events exactly as Event Grid writes them to a storage queue (Event Grid schema).</summary>
public static class EventGridEvents
{
    public static string BlobDeleted(Uri blobUri, string container, string blobName) => Storage("Microsoft.Storage.BlobDeleted", "DeleteBlob", blobUri, container, blobName);

    public static string BlobCreated(Uri blobUri, string container, string blobName) => Storage("Microsoft.Storage.BlobCreated", "PutBlob", blobUri, container, blobName);

    public static string Base64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    private static string Storage(string eventType, string api, Uri blobUri, string container, string blobName) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["topic"] = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-search/providers/Microsoft.Storage/storageAccounts/stsearch",
        ["subject"] = $"/blobServices/default/containers/{container}/blobs/{blobName}",
        ["eventType"] = eventType,
        ["id"] = Guid.NewGuid().ToString(),
        ["data"] = new Dictionary<string, object?>
        {
            ["api"] = api,
            ["clientRequestId"] = Guid.NewGuid().ToString(),
            ["requestId"] = Guid.NewGuid().ToString(),
            ["eTag"] = "0x8DCB4D2A9C1E5F0",
            ["contentType"] = "text/plain",
            ["contentLength"] = 0,
            ["blobType"] = "BlockBlob",
            ["url"] = blobUri.AbsoluteUri,
            ["sequencer"] = "00000000000000000000000000023c5f0000000000172a4b",
            ["storageDiagnostics"] = new Dictionary<string, object?> { ["batchId"] = Guid.NewGuid().ToString() },
        },
        ["dataVersion"] = "",
        ["metadataVersion"] = "1",
        ["eventTime"] = "2025-06-01T12:00:00.0000000Z",
    });
}
