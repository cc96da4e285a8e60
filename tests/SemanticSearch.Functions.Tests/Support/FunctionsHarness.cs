using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SemanticSearch.Functions.Hosting;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Functions.Tests.Support;

/// <summary>
/// The Functions app's services (<see cref="FunctionsServiceCollectionExtensions.AddSemanticSearchFunctions"/>, as
/// <c>Program</c> composes them) in a generic host started like the worker's, against Azurite, with a fresh data
/// folder and a fresh container. The function classes are created from those services and called directly, as the
/// worker would after binding.
/// </summary>
internal sealed class FunctionsHarness : IAsyncDisposable
{
    private readonly TempDirectory _data = new();
    private IHost? _host;

    public FunctionsHarness(AzuriteFixture azurite)
    {
        ContainerName = AzuriteFixture.NewContainerName();
        Settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Documents:Container"] = ContainerName,
            ["Reconcile:Schedule"] = "0 */15 * * * *",
            ["Data:Path"] = _data.Path,
        };
        Container = azurite.BlobService.GetBlobContainerClient(ContainerName);
    }

    public string ContainerName { get; }

    public Dictionary<string, string?> Settings { get; }

    /// <summary>Replaces services after the app's own registrations (a flaky encoder, for instance).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    public BlobContainerClient Container { get; }

    public CollectingLoggerProvider Logs { get; } = new();

    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("Start the harness first.");

    public async Task StartAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(Settings);
        builder.Logging.AddProvider(Logs);
        builder.Services.AddSemanticSearchFunctions(builder.Configuration);
        ConfigureServices?.Invoke(builder.Services);
        _host = builder.Build();
        await _host.StartAsync();
    }

    public T Function<T>() where T : class => ActivatorUtilities.CreateInstance<T>(Services);

    public async Task UploadAsync(string name, byte[] content) =>
        await Container.GetBlobClient(name).UploadAsync(new BinaryData(content), overwrite: true);

    public Task UploadAsync(string name, string content) => UploadAsync(name, System.Text.Encoding.UTF8.GetBytes(content));

    /// <summary>What the blob trigger does when it fires: bind a client of the blob (SDK-type binding) and call the function with it.</summary>
    public async Task IngestBlobAsync(string name, bool eventGrid = false)
    {
        var blob = Container.GetBlobClient(name);
        var functions = Function<BlobIngestionFunctions>();
        await (eventGrid ? functions.IngestBlobEventGrid(blob, CancellationToken.None) : functions.IngestBlob(blob, CancellationToken.None));
    }

    public Task<DocumentStatus?> StatusAsync(string documentId) =>
        Services.GetRequiredService<IDocumentStatusStore>().GetAsync(documentId, CancellationToken.None);

    public Task<HttpResult> HttpAsync(Func<HttpApiFunctions, Microsoft.AspNetCore.Http.HttpRequest, Task<IActionResult>> call, string method = "GET", string? query = null, string? jsonBody = null)
    {
        var functions = Function<HttpApiFunctions>();
        return HttpInvocation.InvokeAsync(Services, request => call(functions, request), method, query, jsonBody);
    }

    /// <summary>The document ids of a keyword search, best first.</summary>
    public async Task<IReadOnlyList<string>> SearchIdsAsync(string query, string mode = "keyword")
    {
        var result = await HttpAsync((f, r) => f.Search(r), query: $"?q={Uri.EscapeDataString(query)}&mode={mode}&top=50");
        Assert.Equal(200, result.Status);
        return [.. result.Body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("documentId").GetString()!)];
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
        try
        {
            await Container.DeleteIfExistsAsync();
        }
        catch (global::Azure.RequestFailedException)
        {
            // Azurite may already be gone at the end of the run.
        }
        _data.Dispose();
    }

    public static string Json(JsonElement element) => element.GetRawText();
}
