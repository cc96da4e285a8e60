using Microsoft.Azure.Functions.Worker;
using SemanticSearch.AzureBackends.BlobStorage;
using SemanticSearch.Functions.Hosting;
using SemanticSearch.Functions.Reconciliation;

namespace SemanticSearch.Functions;

/// <summary>
/// The safety net under the events, fanned out (<see cref="ReconcileFanOut"/>): on <c>Reconcile:Schedule</c> the
/// timer enumerates the container page by page, compares each page with the document statuses and the index of the
/// same stretch of names, and queues one <c>reconcile-work</c> message per blob to ingest (missed, changed or failed
/// transiently) or document to remove (its blob is gone); <see cref="ProcessReconcileWork"/> does each. An enumeration
/// that runs out of time queues its checkpoint, which the queue function resumes. A pass that cannot even list the
/// container throws and is retried by the timer's retry policy.
/// </summary>
public sealed class ReconcileFunction(ReconcileFanOut reconcile)
{
    [Function(FunctionNames.Reconcile)]
    [ExponentialBackoffRetry(3, "00:00:30", "00:05:00")]
    public async Task Reconcile(
        [TimerTrigger(FunctionsSettings.ReconcileScheduleExpression)] TimerInfo timer,
        CancellationToken cancellationToken) =>
        await reconcile.EnumerateAsync(ReconcileCursor.Start, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// One reconcile item: ingest a blob (if it still needs it), remove the document of a gone blob, or continue an
    /// enumeration. A transient failure or a malformed message throws: the queue retries it up to
    /// <c>extensions.queues.maxDequeueCount</c> (5) times, then moves it to <c>reconcile-work-poison</c>.
    /// </summary>
    [Function(FunctionNames.ProcessReconcileWork)]
    public async Task ProcessReconcileWork(
        [QueueTrigger(FunctionsSettings.ReconcileWorkQueue, Connection = FunctionsSettings.StorageConnection)] string message,
        CancellationToken cancellationToken) =>
        await reconcile.ProcessAsync(message, cancellationToken).ConfigureAwait(false);
}
