using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SemanticSearch.Diagnostics;
using SemanticSearch.Indexing;

namespace SemanticSearch.Functions.Hosting;

/// <summary>
/// Checks the app at start-up. Settings that are plainly invalid fail the worker, with messages that name them: the
/// library's options (validated before this runs, <c>ValidateOnStart</c>) and the host settings checked here (a
/// missing reconcile schedule is only logged, see <see cref="FunctionsSettings.Warnings"/>). Then the index is opened
/// and the encoder checked against it — but a failure there never ends the worker: minutes after <c>azd up</c> the
/// app's role assignments may not have reached Cosmos DB or Azure AI Search (403), and a worker that exits would only
/// be restarted into the same failure on every cold start. The failure is logged and reported on <c>/api/health</c>
/// (503, via <see cref="Readiness"/>); the index is opened again on the next call that needs it and heals on its own.
/// An encoder/index mismatch stays a refusal of every search and ingestion, with its message.
/// The documents container is created when missing, which saves a step against Azurite; in Azure the infrastructure
/// creates it and a refusal is only logged.
/// </summary>
internal sealed partial class StartupCheck(IConfiguration configuration, IServiceProvider services, ILogger<StartupCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var problems = FunctionsSettings.Validate(configuration);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The Functions app is misconfigured: " + string.Join(" ", problems));
        }
        foreach (var warning in FunctionsSettings.Warnings(configuration))
        {
            LogDegraded(logger, warning);
        }
        // Resolved outside the try: a backend that cannot even be built is a configuration error, and fails the start.
        var index = services.GetRequiredService<InitializingSearchIndex>();
        var opened = false;
        try
        {
            await index.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
            opened = true;
        }
        catch (VectorSpaceMismatchException mismatch)
        {
            LogMismatch(logger, mismatch.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogIndexUnavailable(logger, ex, ex.Message);
        }

        // Resolved only now: building the client needs the storage setting checked above.
        var container = services.GetRequiredService<BlobContainerClient>();
        try
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogContainerNotCreated(logger, ex, container.Name);
        }
        if (opened)
        {
            LogReady(logger, container.Name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Critical, Message = "Search and ingestion are refused until the encoder matches the index: {Reason}")]
    private static partial void LogMismatch(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not open the index at start-up (if the app was just deployed, its role assignments may still be propagating); it is opened again on first use and /api/health reports 503 until then: {Reason}")]
    private static partial void LogIndexUnavailable(ILogger logger, Exception exception, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The Functions app is misconfigured: {Problem}")]
    private static partial void LogDegraded(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not make sure the blob container {Container} exists; the triggers wait for it")]
    private static partial void LogContainerNotCreated(ILogger logger, Exception exception, string container);

    [LoggerMessage(Level = LogLevel.Information, Message = "Semantic search ready: index open, encoder checked, ingesting from container {Container}")]
    private static partial void LogReady(ILogger logger, string container);
}
