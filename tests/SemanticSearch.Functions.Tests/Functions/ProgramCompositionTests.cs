using System.Reflection;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SemanticSearch.AzureBackends.BlobStorage;
using SemanticSearch.Functions.Hosting;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Functions.Tests.Functions;

/// <summary>
/// The worker exactly as <c>Program</c> builds it (ASP.NET Core integration, Application Insights, our services),
/// built but not started: starting needs the Functions host's gRPC endpoint, which only Core Tools or Azure provide.
/// </summary>
public sealed class ProgramCompositionTests
{
    [Fact]
    public async Task TheWorkerComposesEveryFunctionFromItsOwnServices()
    {
        using var data = new TempDirectory();
        var builder = FunctionsApp.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Documents:Container"] = "documents",
            ["Reconcile:Schedule"] = "0 */15 * * * *",
            ["Data:Path"] = data.Path,
        });
        Assert.Contains(builder.Services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "StartupCheck");
        using var host = builder.Build();
        var services = host.Services;

        // An upload of a type nothing reads is refused before a byte is read, so no storage is needed to see the blob
        // function ingest through the worker's pipeline into the worker's status store.
        var blobs = ActivatorUtilities.CreateInstance<BlobIngestionFunctions>(services);
        await blobs.IngestBlob(new BlobClient("UseDevelopmentStorage=true", "documents", "slides.pptx"), CancellationToken.None);
        var status = await services.GetRequiredService<IDocumentStatusStore>().GetAsync("slides.pptx", CancellationToken.None);
        Assert.Equal(DocumentState.Failed, status?.State);
        Assert.StartsWith("Unsupported:", status?.Error, StringComparison.Ordinal);

        // The HTTP functions' results run through the worker's own MVC executors and write the API's JSON.
        var http = ActivatorUtilities.CreateInstance<HttpApiFunctions>(services);
        var health = await HttpInvocation.InvokeAsync(services, http.Health);
        Assert.Equal(200, health.Status);
        Assert.Equal("embedded", health.Body.GetProperty("backends").GetProperty("index").GetString());
        var document = await HttpInvocation.InvokeAsync(services, r => http.GetDocument(r, "slides.pptx"));
        Assert.Equal("failed", document.Body.GetProperty("status").GetString());

        // The timer function is composed over the container the blob functions ingest from.
        Assert.Null(Record.Exception(() => ActivatorUtilities.CreateInstance<ReconcileFunction>(services)));
        Assert.Equal("documents", services.GetRequiredService<BlobIngestion>().Container.Name);
    }

    /// <summary>
    /// In Azure the Application Insights component refuses key-only ingestion (local auth is off), so the worker's
    /// own telemetry must carry an Entra ID token. The template sets APPLICATIONINSIGHTS_AUTHENTICATION_STRING to
    /// <c>ClientId=&lt;identity&gt;;Authorization=AAD</c>; ConfigureFunctionsApplicationInsights reads it and gives the
    /// telemetry configuration a ManagedIdentityCredential for that client id. Pinned here because nothing else would
    /// notice if a package update stopped doing so: the telemetry would just be dropped.
    /// </summary>
    [Fact]
    public void WorkerTelemetryUsesTheManagedIdentityWhenTheAuthenticationStringAsksForEntraId()
    {
        Assert.IsType<ManagedIdentityCredential>(TelemetryCredential("ClientId=2f0e5c0a-3b1d-4c55-9d0e-6a7b8c9d0e1f;Authorization=AAD"));
        Assert.Null(TelemetryCredential(authenticationString: null));
    }

    private static object? TelemetryCredential(string? authenticationString)
    {
        using var data = new TempDirectory();
        var builder = FunctionsApp.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Documents:Container"] = "documents",
            ["Reconcile:Schedule"] = "0 */15 * * * *",
            ["Data:Path"] = data.Path,
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:9/",
            ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = authenticationString,
        });
        using var host = builder.Build();
        var configuration = host.Services.GetRequiredService<TelemetryConfiguration>();

        // Microsoft.ApplicationInsights 2.23 keeps the credential in an internal envelope (CredentialEnvelope.Credential).
        var envelope = typeof(TelemetryConfiguration).GetProperty("CredentialEnvelope", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("TelemetryConfiguration.CredentialEnvelope is gone: re-check how this SDK version holds the credential.");
        var value = envelope.GetValue(configuration);
        return value?.GetType().GetProperty("Credential", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(value)
            ?? value;
    }
}
