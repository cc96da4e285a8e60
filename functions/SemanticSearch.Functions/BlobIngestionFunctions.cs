using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using SemanticSearch.AzureBackends.BlobStorage;
using SemanticSearch.Functions.Hosting;

namespace SemanticSearch.Functions;

/// <summary>
/// Blob uploads into the index, in the two flavours of the blob trigger: polling (<c>LogsAndContainerScan</c>, what
/// works on Azurite and on Consumption/Premium/Dedicated plans) and Event Grid (what Flex Consumption requires).
/// The polling one is compiled only into builds for hosts that support it (<c>IncludePollingBlobTrigger</c>: Debug by
/// default, never the Release package azd publishes to Flex); where both exist, locally, the Event Grid one is switched
/// off with <c>AzureWebJobs.IngestBlobEventGrid.Disabled=true</c> (Azurite sends no Event Grid events).
/// The trigger binds a <see cref="BlobClient"/> (an SDK-type binding: the host passes the blob's address, not its bytes),
/// so the function downloads the blob itself and reads its bytes, metadata (tags, acl) and properties in one response;
/// a bound stream would come without the metadata, and fetching it separately could describe a newer upload.
/// A rejected document returns normally (recorded as failed, never retried); any other failure throws, so the host
/// retries the blob up to <c>extensions.blobs.poisonBlobThreshold</c> times and then parks it in
/// <c>webjobs-blobtrigger-poison</c>.
/// </summary>
public sealed class BlobIngestionFunctions(BlobIngestion ingestion)
{
#if POLLING_BLOB_TRIGGER
    [Function(FunctionNames.IngestBlob)]
    public async Task IngestBlob(
        [BlobTrigger(FunctionsSettings.DocumentsPath, Connection = FunctionsSettings.StorageConnection, Source = BlobTriggerSource.LogsAndContainerScan)] BlobClient blob,
        CancellationToken cancellationToken) =>
        await ingestion.IngestAsync(blob, cancellationToken).ConfigureAwait(false);
#endif

    [Function(FunctionNames.IngestBlobEventGrid)]
    public async Task IngestBlobEventGrid(
        [BlobTrigger(FunctionsSettings.DocumentsPath, Connection = FunctionsSettings.StorageConnection, Source = BlobTriggerSource.EventGrid)] BlobClient blob,
        CancellationToken cancellationToken) =>
        await ingestion.IngestAsync(blob, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Blob deletions: an Event Grid subscription (<c>Microsoft.Storage.BlobDeleted</c>) delivers to the storage queue
    /// <c>blob-deleted-events</c>. A malformed message throws and, after <c>extensions.queues.maxDequeueCount</c>
    /// tries, lands in <c>blob-deleted-events-poison</c>; the reconcile timer removes the document either way.
    /// </summary>
    [Function(FunctionNames.RemoveDeletedBlob)]
    public async Task RemoveDeletedBlob(
        [QueueTrigger(FunctionsSettings.DeletedBlobQueue, Connection = FunctionsSettings.StorageConnection)] string message,
        CancellationToken cancellationToken) =>
        await ingestion.ApplyDeletionEventsAsync(message, cancellationToken).ConfigureAwait(false);
}
