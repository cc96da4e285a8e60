using System.Text.Json;
using SemanticSearch.Functions.Hosting;

namespace SemanticSearch.Functions.Tests.Functions;

/// <summary>
/// What the Functions host will index, read from the artefacts the app's build wrote (functions.metadata,
/// extensions.json, host.json): Core Tools cannot run here, so these files are the host's-eye proof of every trigger,
/// binding, route, method and auth level.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "functions-app");

    private static readonly Lazy<Dictionary<string, JsonElement>> Functions = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "functions.metadata")));
        return document.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.Clone());
    });

    [Fact]
    public void TheAppDeclaresExactlyTheFunctionsInfrastructureRefersTo()
    {
        Assert.Equal(
            ["GetDocument", "Health", "IngestBlob", "IngestBlobEventGrid", "ListDocuments", "PageAsset", "ProcessReconcileWork", "Reconcile", "RemoveDeletedBlob", "Search", "SearchPage"],
            Functions.Value.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(FunctionNames.All.Order(StringComparer.Ordinal), Functions.Value.Keys.Order(StringComparer.Ordinal));
        Assert.All(Functions.Value.Values, f =>
        {
            Assert.Equal("dotnet-isolated", f.GetProperty("language").GetString());
            Assert.Equal("SemanticSearch.Functions.dll", f.GetProperty("scriptFile").GetString());
        });
    }

    [Theory]
    [InlineData("IngestBlob", "LogsAndContainerScan")]
    [InlineData("IngestBlobEventGrid", "EventGrid")]
    public void BlobTriggersWatchTheDocumentsContainerThroughTheConfiguredSource(string name, string source)
    {
        var trigger = Trigger(name);

        Assert.Equal("blobTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("In", trigger.GetProperty("direction").GetString());
        Assert.Equal("%Documents:Container%/{name}", trigger.GetProperty("path").GetString());
        Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
        Assert.Equal(source, trigger.GetProperty("source").GetString());
        Assert.Equal("blob", trigger.GetProperty("name").GetString());
        Assert.Single(Bindings(name));
        Assert.False(Functions.Value[name].TryGetProperty("retry", out _), "blob triggers retry through poisonBlobThreshold, not a retry policy");
    }

    [Theory]
    [InlineData("IngestBlob")]
    [InlineData("IngestBlobEventGrid")]
    public void BlobTriggersBindABlobClientSoTheFunctionReadsBytesAndMetadataInOneDownload(string name)
    {
        // An SDK-type binding: the host hands the worker the blob's address, and the worker builds the BlobClient.
        var properties = Trigger(name).GetProperty("properties");

        Assert.Equal("True", properties.GetProperty("supportsDeferredBinding").GetString());
    }

    [Fact]
    public void RemoveDeletedBlobReadsTheDeletionQueueOfTheStorageAccount()
    {
        var trigger = Trigger("RemoveDeletedBlob");

        Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("In", trigger.GetProperty("direction").GetString());
        Assert.Equal("blob-deleted-events", trigger.GetProperty("queueName").GetString());
        Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
        Assert.Equal("String", trigger.GetProperty("dataType").GetString());
        Assert.Single(Bindings("RemoveDeletedBlob"));
    }

    [Fact]
    public void ProcessReconcileWorkReadsTheReconcileWorkQueueWithoutARetryPolicy()
    {
        var trigger = Trigger("ProcessReconcileWork");

        Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("reconcile-work", trigger.GetProperty("queueName").GetString());
        Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
        Assert.Equal("String", trigger.GetProperty("dataType").GetString());
        Assert.Single(Bindings("ProcessReconcileWork"));
        // The queue retries (maxDequeueCount) and then parks the message in reconcile-work-poison.
        Assert.False(Functions.Value["ProcessReconcileWork"].TryGetProperty("retry", out _));
    }

    [Fact]
    public void ReconcileRunsOnTheConfiguredScheduleWithARetryPolicy()
    {
        var trigger = Trigger("Reconcile");

        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("In", trigger.GetProperty("direction").GetString());
        Assert.Equal("%Reconcile:Schedule%", trigger.GetProperty("schedule").GetString());
        var retry = Functions.Value["Reconcile"].GetProperty("retry");
        Assert.Equal("exponentialBackoff", retry.GetProperty("strategy").GetString());
        Assert.Equal(3, retry.GetProperty("maxRetryCount").GetInt32());
        Assert.Equal("00:00:30", retry.GetProperty("minimumInterval").GetString());
        Assert.Equal("00:05:00", retry.GetProperty("maximumInterval").GetString());
    }

    [Theory]
    [InlineData("Search", "search", "Function", new[] { "get", "post" })]
    [InlineData("ListDocuments", "documents", "Function", new[] { "get" })]
    [InlineData("GetDocument", "documents/{*documentId}", "Function", new[] { "get" })]
    [InlineData("Health", "health", "Anonymous", new[] { "get" })]
    [InlineData("SearchPage", "page", "Function", new[] { "get", "head" })]
    [InlineData("PageAsset", "assets/{file}", "Anonymous", new[] { "get", "head" })]
    public void HttpFunctionsServeTheApiRoutesWithTheirAuthLevels(string name, string route, string authLevel, string[] methods)
    {
        var trigger = Trigger(name);
        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("In", trigger.GetProperty("direction").GetString());
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal(authLevel, trigger.GetProperty("authLevel").GetString());
        Assert.Equal(methods, trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));

        var output = Assert.Single(Bindings(name), b => b.GetProperty("direction").GetString() == "Out");
        Assert.Equal("http", output.GetProperty("type").GetString());
        Assert.Equal("$return", output.GetProperty("name").GetString());
    }

    [Fact]
    public void TheHostLoadsTheStorageExtensionsTheTriggersNeed()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "extensions.json")));
        var names = document.RootElement.GetProperty("extensions").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();

        Assert.Contains("AzureStorageBlobs", names);
        Assert.Contains("AzureStorageQueues", names);
    }

    [Fact]
    public void HostJsonBoundsRetriesParallelismAndRunTime()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "host.json")));
        var host = document.RootElement;
        var extensions = host.GetProperty("extensions");

        Assert.Equal("2.0", host.GetProperty("version").GetString());
        Assert.Equal("00:10:00", host.GetProperty("functionTimeout").GetString());
        Assert.Equal("api", extensions.GetProperty("http").GetProperty("routePrefix").GetString());
        // Beyond these the host itself answers 429 (overload is shed, never queued without bound).
        Assert.InRange(extensions.GetProperty("http").GetProperty("maxConcurrentRequests").GetInt32(), 1, 1000);
        Assert.InRange(extensions.GetProperty("http").GetProperty("maxOutstandingRequests").GetInt32(), 1, 1000);
        Assert.True(extensions.GetProperty("http").GetProperty("dynamicThrottlesEnabled").GetBoolean());
        Assert.Equal(5, extensions.GetProperty("blobs").GetProperty("poisonBlobThreshold").GetInt32());
        Assert.InRange(extensions.GetProperty("blobs").GetProperty("maxDegreeOfParallelism").GetInt32(), 1, 8);
        Assert.Equal(5, extensions.GetProperty("queues").GetProperty("maxDequeueCount").GetInt32());
        Assert.Equal("base64", extensions.GetProperty("queues").GetProperty("messageEncoding").GetString());
        Assert.Equal("Information", host.GetProperty("logging").GetProperty("logLevel").GetProperty("Function").GetString());
    }

    private static List<JsonElement> Bindings(string function) => [.. Functions.Value[function].GetProperty("bindings").EnumerateArray()];

    private static JsonElement Trigger(string function) =>
        Assert.Single(Bindings(function), b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
}
