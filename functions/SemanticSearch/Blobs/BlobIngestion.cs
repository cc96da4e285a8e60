using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Blobs;

/// <summary>
/// Ingestion from a blob container, shared by the Azure Functions app (blob triggers, deletion events, the reconcile
/// timer) and the local server (polling Azurite). A document's id is its blob name, '/' included, as a folder's
/// document id is its relative path. Failures follow <see cref="DocumentIngestor"/>: bad input comes back as
/// <see cref="IngestionOutcome.Failed"/> (recorded, never retried); anything else is recorded and thrown, so the
/// host retries it.
/// </summary>
public sealed partial class BlobIngestion(BlobContainerClient container, DocumentIngestor ingestor, ILogger<BlobIngestion> logger)
{
    public BlobContainerClient Container => container;

    /// <summary>Ingests a blob whose content the host already opened (the blob trigger binds the stream).</summary>
    public async Task<IngestionResult> IngestAsync(string blobName, Stream content, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        var result = await ingestor.IngestAsync(blobName, content, cancellationToken).ConfigureAwait(false);
        if (result.Outcome == IngestionOutcome.Failed)
        {
            LogFailed(logger, container.Name, blobName, result.Error);
        }
        else
        {
            LogIngested(logger, container.Name, blobName, result.Outcome, result.Chunks);
        }
        return result;
    }

    /// <summary>
    /// Downloads and ingests a blob by name (reconciliation, polling). A blob that no longer exists has its document
    /// removed instead: the listing that named it is older than the deletion.
    /// </summary>
    public async Task<IngestionResult> IngestAsync(string blobName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        BlobDownloadStreamingResult download;
        try
        {
            download = (await container.GetBlobClient(blobName).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobNotFound)
        {
            return await ingestor.DeleteAsync(blobName, cancellationToken).ConfigureAwait(false);
        }
        using (download)
        {
            return await IngestAsync(blobName, download.Content, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Removes the document of a deleted blob, unless the blob exists again: deletion events arrive late and out of
    /// order, and a late one must not undo a newer upload (whose own trigger indexes it). Returns null when skipped.
    /// </summary>
    public async Task<IngestionResult?> RemoveAsync(string blobName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        if (await container.GetBlobClient(blobName).ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            LogStillExists(logger, container.Name, blobName);
            return null;
        }
        return await ingestor.DeleteAsync(blobName, cancellationToken).ConfigureAwait(false);
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
            if (!blobEvent.IsDeletion || !string.Equals(blobEvent.ContainerName, container.Name, StringComparison.Ordinal))
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Blob {Container}/{BlobName}: {Outcome}, {Chunks} chunks")]
    private static partial void LogIngested(ILogger logger, string container, string blobName, IngestionOutcome outcome, int chunks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blob {Container}/{BlobName} cannot be indexed and will not be retried until it changes: {Error}")]
    private static partial void LogFailed(ILogger logger, string container, string blobName, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Blob {Container}/{BlobName} exists again; its document is kept")]
    private static partial void LogStillExists(ILogger logger, string container, string blobName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored event {EventType} for {Container}/{BlobName}")]
    private static partial void LogIgnored(ILogger logger, string eventType, string? container, string? blobName);
}
