using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SemanticSearch.Configuration;

namespace SemanticSearch.Functions.Hosting;

/// <summary>
/// Fails the worker at start-up, with messages that name the settings, instead of on the first trigger: the host
/// settings are checked (a missing reconcile schedule is only logged, see <see cref="FunctionsSettings.Warnings"/>),
/// then the index is opened and the encoder checked against it. The library's options are
/// validated before this runs (<c>ValidateOnStart</c>). The documents container is created when missing, which
/// saves a step against Azurite; in Azure the infrastructure creates it and a refusal is only logged.
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
        await services.InitializeSemanticSearchAsync(cancellationToken).ConfigureAwait(false);

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
        LogReady(logger, container.Name);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Error, Message = "The Functions app is misconfigured: {Problem}")]
    private static partial void LogDegraded(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not make sure the blob container {Container} exists; the triggers wait for it")]
    private static partial void LogContainerNotCreated(ILogger logger, Exception exception, string container);

    [LoggerMessage(Level = LogLevel.Information, Message = "Semantic search ready: index open, encoder checked, ingesting from container {Container}")]
    private static partial void LogReady(ILogger logger, string container);
}
