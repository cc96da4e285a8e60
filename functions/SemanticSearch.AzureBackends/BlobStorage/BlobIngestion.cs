using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;
using SemanticSearch.Ingestion;
using SemanticSearch.Sync;

namespace SemanticSearch.AzureBackends.BlobStorage;

/// <summary>
/// Ingestion from a blob container, shared by the Azure Functions app (blob triggers, deletion events, the reconcile
/// timer) and the local server (polling Azurite). Failures follow <see cref="DocumentIngestor"/>: bad input comes back
/// as <see cref="IngestionOutcome.Failed"/> (recorded, never retried); anything else is recorded and, where the host
/// retries (the blob trigger), thrown.
/// </summary>
public sealed partial class BlobIngestion(BlobDocumentSource source, DocumentIngestor ingestor, DocumentSync sync, ILogger<BlobIngestion> logger)
{
    public BlobContainerClient Container => source.Container;

    public BlobDocumentSource Source => source;

    /// <summary>
    /// Ingests the blob a trigger fired for (the trigger binds a <see cref="BlobClient"/>, not a stream): one download
    /// through <see cref="BlobDocumentSource.OpenAsync(BlobClient, CancellationToken)"/> gives the bytes with the metadata
    /// (tags, acl), URL and modification time that belong to exactly them. An unsupported type is refused without a
    /// download; a blob gone before it was read has its document removed. A rejected blob returns normally (recorded as
    /// failed, never retried); any other failure is thrown, so the host retries it.
    /// </summary>
    public async Task<IngestionResult> IngestAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        // The download's ETag describes exactly the bytes ingested, so it is recorded: the next reconcile finds the blob
        // up to date without downloading it again.
        var document = new DocumentToIngest(new SourceDocument(blob.Name), token => source.OpenAsync(blob, token));
        var result = await ingestor.IngestAsync(document, cancellationToken).ConfigureAwait(false);
        Log(result);
        return result;
    }

    /// <summary>
    /// Downloads and ingests a blob by name (polling, a queued reconcile item); a blob that no longer exists has its
    /// document removed instead. Never throws for the blob's own failure: the result and the status say it.
    /// </summary>
    public async Task<IngestionResult?> IngestAsync(string blobName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        var result = await sync.SyncDocumentAsync(source, blobName, cancellationToken).ConfigureAwait(false);
        if (result is not null)
        {
            Log(result);
        }
        return result;
    }

    /// <summary>Removes the document of a deleted blob, unless the blob exists again (see <see cref="DocumentSync.RemoveIfGoneAsync"/>).</summary>
    public Task<IngestionResult?> RemoveAsync(string blobName, CancellationToken cancellationToken) =>
        sync.RemoveIfGoneAsync(source, blobName, cancellationToken);

    /// <summary>
    /// Brings the index in line with the container in both directions, so that a lost or failed event never leaves it
    /// wrong for long. Blobs whose ETag matches their status are not downloaded, so a pass over a large, quiet
    /// container costs one listing.
    /// </summary>
    public Task<SyncSummary> ReconcileAsync(CancellationToken cancellationToken) =>
        sync.SyncAsync(source, null, cancellationToken);

    /// <summary>
    /// One step of a paged reconcile (the Functions app fans the result out to a queue): the next page of the
    /// container after <paramref name="cursor"/>, and the plan for the stretch of names it covers — the same decision
    /// <see cref="ReconcileAsync"/> makes for the whole container (<see cref="DocumentSync.Plan"/>). The cursor of the
    /// next step is null after the last page.
    /// </summary>
    public async Task<ReconcilePage> PlanPageAsync(ReconcileCursor cursor, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        var page = await source.ListPageAsync(cursor.ContinuationToken, pageSize, cancellationToken).ConfigureAwait(false);
        if (page.LastName is null && page.ContinuationToken is not null)
        {
            // The service may answer a page with no names but a marker: nothing to plan, the range does not move.
            return new ReconcilePage(new SyncPlan([], [], 0), cursor with { ContinuationToken = page.ContinuationToken });
        }
        // The last page reaches to the end of the names, so every known document lies in some page's range.
        var range = new DocumentIdRange(cursor.After, page.ContinuationToken is null ? null : page.LastName);
        var plan = await sync.PlanRangeAsync(page.Documents, range, cancellationToken).ConfigureAwait(false);
        return new ReconcilePage(plan, page.ContinuationToken is null ? null : new ReconcileCursor(page.LastName, page.ContinuationToken));
    }

    /// <summary>
    /// A queued reconcile item: brings one blob in line when it still needs it (the status decides, with the one rule
    /// of <see cref="DocumentSync.ReasonToIngest"/>: a duplicate item or one overtaken by an event costs a lookup, not a
    /// download), or removes its document when the blob is gone. Never throws for the blob's own failure: the result
    /// and the status say it.
    /// </summary>
    public async Task<IngestionResult?> IngestIfNeededAsync(string blobName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        var result = await sync.SyncDocumentIfNeededAsync(source, blobName, cancellationToken).ConfigureAwait(false);
        if (result is not null)
        {
            Log(result);
        }
        return result;
    }

    /// <summary>
    /// Applies one queue message of Event Grid blob events (see <see cref="BlobEvent.Parse"/>): every
    /// <c>BlobDeleted</c> event of this container removes its document through <see cref="RemoveAsync"/>; other events
    /// and other containers are ignored, so a broad subscription does no harm.
    /// </summary>
    /// <exception cref="FormatException">The message is not an event; retrying cannot help.</exception>
    public async Task<IReadOnlyList<IngestionResult>> ApplyDeletionEventsAsync(string message, CancellationToken cancellationToken)
    {
        var results = new List<IngestionResult>();
        foreach (var blobEvent in BlobEvent.Parse(message))
        {
            if (!blobEvent.IsDeletion || !string.Equals(blobEvent.ContainerName, Container.Name, StringComparison.Ordinal))
            {
                LogIgnored(logger, blobEvent.EventType, blobEvent.ContainerName, blobEvent.BlobName);
                continue;
            }
            if (await RemoveAsync(blobEvent.BlobName!, cancellationToken).ConfigureAwait(false) is { } removed)
            {
                results.Add(removed);
            }
        }
        return results;
    }

    private void Log(IngestionResult result)
    {
        if (result.Outcome == IngestionOutcome.Failed)
        {
            LogFailed(logger, Container.Name, result.DocumentId, result.Error);
        }
        else
        {
            LogIngested(logger, Container.Name, result.DocumentId, result.Outcome, result.Chunks);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Blob {Container}/{BlobName}: {Outcome}, {Chunks} chunks")]
    private static partial void LogIngested(ILogger logger, string container, string blobName, IngestionOutcome outcome, int chunks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blob {Container}/{BlobName} cannot be indexed and will not be retried until it changes: {Error}")]
    private static partial void LogFailed(ILogger logger, string container, string blobName, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored event {EventType} for {Container}/{BlobName}")]
    private static partial void LogIgnored(ILogger logger, string eventType, string? container, string? blobName);
}

/// <summary>Where a paged reconcile resumes: after the blob name <paramref name="After"/>, from the listing's <paramref name="ContinuationToken"/>.</summary>
public sealed record ReconcileCursor(string? After, string? ContinuationToken)
{
    public static ReconcileCursor Start { get; } = new(null, null);
}

/// <summary>One reconcile step's plan, and the cursor of the next step (null when the container was listed to its end).</summary>
public sealed record ReconcilePage(SyncPlan Plan, ReconcileCursor? Next);
