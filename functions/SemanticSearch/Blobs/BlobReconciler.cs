using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Blobs;

/// <summary>
/// Brings the index in line with the blob container in both directions, so that a lost or failed event never leaves
/// it wrong for long: blobs that were never ingested, changed since, interrupted, failed for a transient reason, or
/// lost from the index are ingested; documents whose blob is gone are removed. Blobs whose documents are up to date
/// are not downloaded, so a pass over a large, quiet container costs one listing.
/// </summary>
public sealed partial class BlobReconciler(
    BlobIngestion ingestion,
    IDocumentStatusStore statuses,
    ISearchIndex index,
    TimeProvider time,
    ILogger<BlobReconciler> logger)
{
    public async Task<BlobReconcileSummary> ReconcileAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();

        // What the index knows is read before the container is listed: a document ingested in between is then
        // missing from this snapshot, so it can never be taken for the orphan of a deleted blob.
        var known = (await statuses.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.DocumentId, StringComparer.Ordinal);
        var indexed = (await index.ListDocumentIdsAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var blobs = await ListAsync(cancellationToken).ConfigureAwait(false);

        var results = new List<IngestionResult>();
        int untouched = 0, errors = 0;
        foreach (var blob in blobs.Values)
        {
            var reason = ReasonToIngest(blob, known.GetValueOrDefault(blob.Name), indexed);
            if (reason is null)
            {
                untouched++;
                continue;
            }
            LogIngesting(logger, blob.Name, reason);
            try
            {
                results.Add(await ingestion.IngestAsync(blob.Name, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Recorded as failed by the ingestor; the next pass retries it. One blob must not stop the pass.
                errors++;
                LogBlobFailed(logger, ex, blob.Name);
            }
        }

        foreach (var orphan in known.Keys.Union(indexed).Where(id => !blobs.ContainsKey(id)).Order(StringComparer.Ordinal))
        {
            try
            {
                if (await ingestion.RemoveAsync(orphan, cancellationToken).ConfigureAwait(false) is { } removed)
                {
                    results.Add(removed);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                errors++;
                LogBlobFailed(logger, ex, orphan);
            }
        }

        var summary = new BlobReconcileSummary(results, blobs, untouched, errors, time.GetElapsedTime(started));
        int ingested = summary.Count(IngestionOutcome.Indexed), unchanged = summary.Count(IngestionOutcome.Unchanged);
        int failed = summary.Count(IngestionOutcome.Failed), deleted = summary.Count(IngestionOutcome.Deleted);
        var seconds = summary.Elapsed.TotalSeconds;
        LogReconciled(logger, ingestion.Container.Name, blobs.Count, ingested, unchanged, failed, deleted, untouched, errors, seconds);
        return summary;
    }

    /// <summary>Every blob of the container. A missing container is an error, never an empty listing: that would remove every document.</summary>
    public async Task<IReadOnlyDictionary<string, BlobSnapshot>> ListAsync(CancellationToken cancellationToken)
    {
        var container = ingestion.Container;
        var blobs = new Dictionary<string, BlobSnapshot>(StringComparer.Ordinal);
        try
        {
            await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions(), cancellationToken).ConfigureAwait(false))
            {
                // A name ending in '/' is a folder marker (hierarchical namespace), not a document.
                if (!item.Deleted && !item.Name.EndsWith('/'))
                {
                    blobs[item.Name] = new BlobSnapshot(item.Name, item.Properties.ETag ?? default, item.Properties.LastModified);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            throw new InvalidOperationException(
                $"The blob container '{container.Name}' does not exist (setting Documents:Container). Nothing was reconciled and no document was removed.", ex);
        }
        return blobs;
    }

    /// <summary>Why a blob must be (re)ingested, or null when its document is up to date.</summary>
    internal static string? ReasonToIngest(BlobSnapshot blob, DocumentStatus? status, IReadOnlySet<string> indexed) => status switch
    {
        null => "never ingested",
        { State: DocumentState.Pending } => "ingestion was interrupted",
        { State: DocumentState.Failed } when !IngestionError.IsRejection(status.Error) => "the last attempt failed for a transient reason",
        { State: DocumentState.Indexed, Chunks: > 0 } when !indexed.Contains(blob.Name) => "indexed but missing from the index",
        // The ingestor skips bytes it has already indexed, so a touched-but-identical blob costs one download.
        _ when blob.LastModified > status.UpdatedAt => "changed since it was last ingested",
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciling {BlobName}: {Reason}")]
    private static partial void LogIngesting(ILogger logger, string blobName, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciling {DocumentId} failed; the next pass tries again")]
    private static partial void LogBlobFailed(ILogger logger, Exception exception, string documentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled container {Container} ({Blobs} blobs): {Indexed} indexed, {Unchanged} unchanged, {Failed} failed, {Deleted} deleted, {Untouched} up to date, {Errors} errors; {Seconds:F1} s")]
    private static partial void LogReconciled(ILogger logger, string container, int blobs, int indexed, int unchanged, int failed, int deleted, int untouched, int errors, double seconds);
}
