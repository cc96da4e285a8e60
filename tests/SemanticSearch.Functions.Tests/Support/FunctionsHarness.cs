using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Azure.Functions.Worker;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SemanticSearch.Functions.Hosting;
using SemanticSearch.Functions.Reconciliation;
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
    private readonly string _storage;
    private IHost? _host;

    public FunctionsHarness(AzuriteFixture azurite)
    {
        ContainerName = AzuriteFixture.NewContainerName();
        _storage = azurite.ConnectionString;
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
        // The queue name is the app's own, shared by every harness on this Azurite: start from an empty one.
        await ReconcileWork.CreateIfNotExistsAsync();
        await ReconcileWork.ClearMessagesAsync();
        await ReconcileWorkPoison.CreateIfNotExistsAsync();
        await ReconcileWorkPoison.ClearMessagesAsync();
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

    /// <summary>The reconcile-work queue the app sends to (a fixed name, as the trigger's; emptied when the harness starts).</summary>
    public QueueClient ReconcileWork => Services.GetRequiredService<ReconcileWorkSender>().Queue;

    /// <summary>Where the host moves a reconcile-work message after its last failed dequeue.</summary>
    public QueueClient ReconcileWorkPoison => new(_storage, ReconcileWork.Name + "-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    /// <summary>
    /// What the host does on a reconcile tick: the timer function runs, then the queue function takes the
    /// <c>reconcile-work</c> messages until none is left (see <see cref="DrainReconcileWorkAsync"/>).
    /// </summary>
    public async Task<DrainResult> ReconcileAsync()
    {
        await Function<ReconcileFunction>().Reconcile(new TimerInfo(), CancellationToken.None);
        return await DrainReconcileWorkAsync();
    }

    /// <summary>
    /// Runs <see cref="ReconcileFunction.ProcessReconcileWork"/> on every message of the queue as the host's queue
    /// listener would: a message whose function throws becomes visible again, up to <c>maxDequeueCount</c> (5, as in
    /// host.json) dequeues, and then moves to <c>reconcile-work-poison</c>.
    /// </summary>
    public async Task<DrainResult> DrainReconcileWorkAsync(int maxDequeueCount = 5)
    {
        var queue = ReconcileWork;
        var poison = ReconcileWorkPoison;
        var functions = Function<ReconcileFunction>();
        int processed = 0, failed = 0, poisoned = 0;
        await queue.CreateIfNotExistsAsync();
        while (true)
        {
            var messages = (await queue.ReceiveMessagesAsync(maxMessages: 32, visibilityTimeout: TimeSpan.FromSeconds(30))).Value;
            if (messages.Length == 0)
            {
                return new DrainResult(processed, failed, poisoned);
            }
            foreach (var message in messages)
            {
                try
                {
                    // The trigger hands over the text the base64 message decodes to (host.json messageEncoding).
                    await functions.ProcessReconcileWork(message.Body.ToString(), CancellationToken.None);
                    processed++;
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
                catch (Exception) when (message.DequeueCount < maxDequeueCount)
                {
                    failed++;
                    await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
                }
                catch (Exception)
                {
                    failed++;
                    poisoned++;
                    await poison.CreateIfNotExistsAsync();
                    await poison.SendMessageAsync(message.Body);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
            }
        }
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

/// <summary>What draining the reconcile-work queue did: messages processed, failed attempts, and messages moved to the poison queue.</summary>
internal sealed record DrainResult(int Processed, int Failed, int Poisoned);
