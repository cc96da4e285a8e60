using Microsoft.Extensions.Logging;
using SemanticSearch.AzureBackends.BlobStorage;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Functions.Reconciliation;

/// <summary>How a reconcile pass pages and how long one invocation enumerates before it hands over.</summary>
public sealed record ReconcileWorkSettings
{
    /// <summary>Blobs listed per page (the listing's page hint; the service's maximum is 5,000).</summary>
    public int PageSize { get; init; } = 1000;

    /// <summary>
    /// How long one invocation (the timer, or a queued scan) enumerates before it queues its checkpoint and returns:
    /// well inside the 10-minute function timeout, since a page's plan and its messages take a few seconds.
    /// </summary>
    public TimeSpan EnumerationBudget { get; init; } = TimeSpan.FromMinutes(4);
}

/// <summary>
/// The Functions app's reconcile, fanned out: the timer enumerates the container page by page (each page planned by
/// <see cref="BlobIngestion.PlanPageAsync"/> — the same decision the in-process sync makes) and queues one message per
/// blob to ingest or document to remove on <c>reconcile-work</c>; the queue function does that work, one blob per
/// invocation, so no pass is bound by one invocation's 10 minutes and the host's scale-out spreads the work.
/// </summary>
/// <remarks>
/// <para>
/// The enumeration is resumable: when an invocation has enumerated for <see cref="ReconcileWorkSettings.EnumerationBudget"/>,
/// it queues a <c>scan</c> message holding its cursor (the last blob name and the listing's continuation token) and
/// returns; the queue function picks the enumeration up from there. A queue message rather than a checkpoint blob: no
/// further state or lease to manage, the queue's visibility timeout and poison handling cover a step that fails, the
/// next step starts at once rather than at the next tick, and a lost chain is restarted by the next tick anyway.
/// </para>
/// <para>
/// A step's work messages are sent before its checkpoint, so a step that fails half-way is redone whole (duplicates
/// are harmless: each item checks whether its blob still needs work, and per-document locks serialise the writes).
/// Two passes may overlap when one takes longer than the schedule; they only repeat each other's checks.
/// </para>
/// </remarks>
public sealed partial class ReconcileFanOut(BlobIngestion ingestion, ReconcileWorkSender queue, ReconcileWorkSettings settings, TimeProvider time, ILogger<ReconcileFanOut> logger)
{
    /// <summary>Enumerates from <paramref name="cursor"/> within the budget, queues the work, and queues a checkpoint if the container is not done.</summary>
    public async Task<ReconcileFanOutSummary> EnumerateAsync(ReconcileCursor cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        var started = time.GetTimestamp();
        int pages = 0, ingest = 0, remove = 0, upToDate = 0;
        ReconcileCursor? next = cursor;
        while (next is not null)
        {
            var page = await ingestion.PlanPageAsync(next, settings.PageSize, cancellationToken).ConfigureAwait(false);
            await queue.SendAllAsync(
                page.Plan.ToIngest.Select(p => ReconcileWorkItem.ForIngest(p.Document.Id, p.Reason))
                    .Concat(page.Plan.ToRemove.Select(ReconcileWorkItem.ForRemove)),
                cancellationToken).ConfigureAwait(false);
            pages++;
            ingest += page.Plan.ToIngest.Count;
            remove += page.Plan.ToRemove.Count;
            upToDate += page.Plan.UpToDate;
            next = page.Next;
            if (next is not null && time.GetElapsedTime(started) >= settings.EnumerationBudget)
            {
                await queue.SendAsync(ReconcileWorkItem.ForScan(next.After, next.ContinuationToken), cancellationToken).ConfigureAwait(false);
                LogHandedOver(logger, pages, ingest, remove, upToDate, next.After);
                return new ReconcileFanOutSummary(pages, ingest, remove, upToDate, Complete: false);
            }
        }
        LogEnumerated(logger, pages, ingest, remove, upToDate);
        return new ReconcileFanOutSummary(pages, ingest, remove, upToDate, Complete: true);
    }

    /// <summary>
    /// Does one queued item. A blob's transient failure throws, so the queue retries it
    /// (<c>extensions.queues.maxDequeueCount</c> = 5) and then moves it to <c>reconcile-work-poison</c>; a rejected blob
    /// completes (its status says why). A message that is not a work item throws <see cref="FormatException"/>.
    /// </summary>
    public async Task ProcessAsync(string message, CancellationToken cancellationToken)
    {
        var item = ReconcileWorkItem.Parse(message);
        switch (item.Kind)
        {
            case ReconcileWorkItem.Scan:
                await EnumerateAsync(new ReconcileCursor(item.After, item.Continuation), cancellationToken).ConfigureAwait(false);
                break;
            case ReconcileWorkItem.Remove:
                await ingestion.RemoveAsync(item.Blob!, cancellationToken).ConfigureAwait(false);
                break;
            default:
                var result = await ingestion.IngestIfNeededAsync(item.Blob!, cancellationToken).ConfigureAwait(false);
                if (result is { IsTransientFailure: true })
                {
                    throw new ReconcileWorkFailedException($"Reconciling {item.Blob} failed; the queue retries it: {result.Error}");
                }
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconcile enumerated {Pages} pages: {Ingest} blobs queued to ingest, {Remove} documents queued to remove, {UpToDate} up to date; the enumeration continues from the queue after {After}")]
    private static partial void LogHandedOver(ILogger logger, int pages, int ingest, int remove, int upToDate, string? after);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconcile enumerated {Pages} pages to the end: {Ingest} blobs queued to ingest, {Remove} documents queued to remove, {UpToDate} up to date")]
    private static partial void LogEnumerated(ILogger logger, int pages, int ingest, int remove, int upToDate);
}

/// <summary>What one enumeration step did.</summary>
public sealed record ReconcileFanOutSummary(int Pages, int QueuedToIngest, int QueuedToRemove, int UpToDate, bool Complete);

/// <summary>A queued reconcile item failed for a transient reason; thrown so the queue retries it.</summary>
public sealed class ReconcileWorkFailedException : Exception
{
    public ReconcileWorkFailedException()
    {
    }

    public ReconcileWorkFailedException(string message)
        : base(message)
    {
    }

    public ReconcileWorkFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
