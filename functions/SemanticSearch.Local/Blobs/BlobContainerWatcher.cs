using SemanticSearch.AzureBackends.BlobStorage;
using SemanticSearch.Ingestion;
using SemanticSearch.Sync;

namespace SemanticSearch.Local.Blobs;

/// <summary>
/// Keeps the index in line with a blob container (Azurite, usually) while the local server runs, through the same
/// ingestion code as the Functions app: a full reconciliation at start and every few minutes, and between them a
/// cheap poll that lists the container and ingests blobs whose ETag changed and removes documents of blobs that are
/// gone. It stands in for the blob trigger and the deletion events on machines without Functions Core Tools.
/// </summary>
public sealed partial class BlobContainerWatcher(BlobIngestion ingestion, TimeSpan pollInterval, ILogger<BlobContainerWatcher> logger)
    : BackgroundService
{
    /// <summary>How often the full reconciliation runs again (it also retries blobs whose ingestion threw).</summary>
    internal static readonly TimeSpan FullPassInterval = TimeSpan.FromMinutes(5);

    private readonly TaskCompletionSource<SyncSummary> _initialSync = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first full reconciliation has finished (tests and the command line wait on it).</summary>
    public Task<SyncSummary> InitialSync => _initialSync.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Dictionary<string, SourceDocument>? seen = null;
        long lastFullPass = 0;
        using var timer = new PeriodicTimer(pollInterval);
        do
        {
            try
            {
                if (seen is null || TimeProvider.System.GetElapsedTime(lastFullPass) >= FullPassInterval)
                {
                    await ingestion.Container.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                    var summary = await ingestion.ReconcileAsync(stoppingToken).ConfigureAwait(false);
                    seen = new Dictionary<string, SourceDocument>(summary.Listed, StringComparer.Ordinal);
                    lastFullPass = TimeProvider.System.GetTimestamp();
                    _initialSync.TrySetResult(summary);
                }
                else
                {
                    await PollAsync(seen, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Storage unreachable, most likely (Azurite not started yet): try again on the next tick.
                LogPassFailed(logger, ex, ingestion.Container.Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task PollAsync(Dictionary<string, SourceDocument> seen, CancellationToken cancellationToken)
    {
        var current = new Dictionary<string, SourceDocument>(StringComparer.Ordinal);
        await foreach (var blob in ingestion.Source.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            current[blob.Id] = blob;
        }
        foreach (var blob in current.Values)
        {
            if ((!seen.TryGetValue(blob.Id, out var before) || before.Version != blob.Version)
                && await TryAsync(blob.Id, () => ingestion.IngestAsync(blob.Id, cancellationToken)).ConfigureAwait(false))
            {
                seen[blob.Id] = blob;
            }
        }
        foreach (var gone in seen.Keys.Where(name => !current.ContainsKey(name)).ToList())
        {
            if (await TryAsync(gone, () => ingestion.RemoveAsync(gone, cancellationToken)).ConfigureAwait(false))
            {
                seen.Remove(gone);
            }
        }
    }

    /// <summary>Runs one blob's change; a failure is logged (and recorded by the ingestor) and the blob stays pending for the next poll.</summary>
    private async Task<bool> TryAsync(string blobName, Func<Task<IngestionResult?>> change)
    {
        try
        {
            var result = await change().ConfigureAwait(false);
            return result is not { IsTransientFailure: true };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogBlobFailed(logger, ex, blobName);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not sync blob container {Container}; trying again")]
    private static partial void LogPassFailed(ILogger logger, Exception exception, string container);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not process blob {BlobName}; trying again on the next poll")]
    private static partial void LogBlobFailed(ILogger logger, Exception exception, string blobName);
}
