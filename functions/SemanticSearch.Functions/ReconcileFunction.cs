using Microsoft.Azure.Functions.Worker;
using SemanticSearch.AzureBackends.BlobStorage;
using SemanticSearch.Functions.Hosting;

namespace SemanticSearch.Functions;

/// <summary>
/// The safety net under the events: on <c>Reconcile:Schedule</c> it compares the container with the index and
/// repairs both directions (missed or failed uploads, orphans of deleted blobs). A pass that cannot even list the
/// container throws and is retried by the timer's retry policy; single blobs that fail are retried by the next pass.
/// </summary>
public sealed class ReconcileFunction(BlobIngestion ingestion)
{
    [Function(FunctionNames.Reconcile)]
    [ExponentialBackoffRetry(3, "00:00:30", "00:05:00")]
    public async Task Reconcile(
        [TimerTrigger(FunctionsSettings.ReconcileScheduleExpression)] TimerInfo timer,
        CancellationToken cancellationToken) =>
        await ingestion.ReconcileAsync(cancellationToken).ConfigureAwait(false);
}
