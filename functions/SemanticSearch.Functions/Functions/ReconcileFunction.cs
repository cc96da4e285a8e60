using Microsoft.Azure.Functions.Worker;
using SemanticSearch.Blobs;
using SemanticSearch.Functions.Hosting;

namespace SemanticSearch.Functions.Functions;

/// <summary>
/// The safety net under the events: on <c>Reconcile:Schedule</c> it compares the container with the index and
/// repairs both directions (missed or failed uploads, orphans of deleted blobs). A pass that cannot even list the
/// container throws and is retried by the timer's retry policy; single blobs that fail are retried by the next pass.
/// </summary>
public sealed class ReconcileFunction(BlobReconciler reconciler)
{
    [Function(FunctionNames.Reconcile)]
    [ExponentialBackoffRetry(3, "00:00:30", "00:05:00")]
    public async Task Reconcile(
        [TimerTrigger(FunctionsSettings.ReconcileScheduleExpression)] TimerInfo timer,
        CancellationToken cancellationToken) =>
        await reconciler.ReconcileAsync(cancellationToken).ConfigureAwait(false);
}
