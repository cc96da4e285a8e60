using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Ingestion;
using SemanticSearch.Local.Blobs;
using SemanticSearch.Local.Commands;
using Xunit.Abstractions;

namespace SemanticSearch.Local.Tests.Server;

/// <summary>
/// End to end without Core Tools: Azurite started by the test run, the local server in blob mode
/// (<c>serve --blob-connection … --container …</c>) ingesting through the Functions app's blob code, and the HTTP API.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class BlobServerTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const string Bees = "Honeybees navigate using the position of the sun and communicate the direction of flowers with a waggle dance.";
    private const string Bread = "Sourdough bread rises because wild yeast and lactic acid bacteria ferment the flour over many hours.";
    private const string Volcano = "Volcanic eruptions eject ash and lava; pyroclastic flows race down the slopes at hundreds of kilometres per hour.";

    [Fact]
    public async Task AnUploadedBlobIsFoundByASearchAMomentLaterAndNotOnceItIsDeleted()
    {
        var total = Stopwatch.StartNew();
        using var data = new TempDirectory();
        var containerName = AzuriteFixture.NewContainerName();
        var container = azurite.BlobService.GetBlobContainerClient(containerName);
        await container.CreateAsync();
        await container.GetBlobClient("bread.txt").UploadAsync(BinaryData.FromString(Bread));

        await using var app = ServeCommand.BuildBlobServer(
            [], new Dictionary<string, string?> { ["Data:Path"] = data.Path }, azurite.ConnectionString, containerName, TimeSpan.FromMilliseconds(250),
            builder => builder.WebHost.UseTestServer());
        await app.StartAsync();
        using var client = app.GetTestClient();
        var initial = await app.Services.GetRequiredService<BlobContainerWatcher>().InitialSync.WaitAsync(TimeSpan.FromMinutes(2));
        var started = total.Elapsed;
        Assert.Equal(1, initial.Count(IngestionOutcome.Indexed));
        Assert.Equal(["bread.txt"], await SearchAsync(client, "sourdough"));

        var upload = Stopwatch.StartNew();
        await container.GetBlobClient("nature/bees.md").UploadAsync(BinaryData.FromString("# Bees\n\n" + Bees));
        await EventuallyAsync(async () => (await SearchAsync(client, "waggle")).SequenceEqual(["nature/bees.md"]), "the uploaded blob to be found");
        var searchable = upload.Elapsed;
        var hybrid = await SearchAsync(client, "how do insects tell each other where food is", "hybrid");
        Assert.Equal("nature/bees.md", hybrid[0]);

        await container.GetBlobClient("broken.pdf").UploadAsync(BinaryData.FromString("%PDF-1.7\nnot really a pdf" + new string('\0', 64)));
        // Its status is "pending" while it is read; the test waits for the outcome.
        var broken = await EventuallyAsync(
            async () => await StatusAsync(client, "broken.pdf") is { } s && s.GetProperty("status").GetString() != "pending" ? s : (JsonElement?)null,
            "the corrupt PDF to be recorded");
        Assert.Equal("failed", broken.GetProperty("status").GetString());
        Assert.StartsWith("Corrupt:", broken.GetProperty("error").GetString(), StringComparison.Ordinal);

        await container.GetBlobClient("bread.txt").UploadAsync(BinaryData.FromString(Volcano), overwrite: true);
        await EventuallyAsync(async () => (await SearchAsync(client, "pyroclastic")).SequenceEqual(["bread.txt"]), "the edited blob's new text to be found");
        Assert.Empty(await SearchAsync(client, "sourdough"));

        var delete = Stopwatch.StartNew();
        await container.GetBlobClient("nature/bees.md").DeleteAsync();
        await EventuallyAsync(async () => (await SearchAsync(client, "waggle")).Count == 0, "the deleted blob to disappear");
        var removed = delete.Elapsed;
        Assert.Null(await StatusAsync(client, "nature/bees.md"));

        using var health = await client.GetAsync(new Uri("/api/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        await app.StopAsync();
        await container.DeleteAsync();
        output.WriteLine(
            $"Azurite start {azurite.StartupTime.TotalSeconds:F2} s (once per run); server start + initial reconcile {started.TotalSeconds:F2} s; " +
            $"upload to searchable {searchable.TotalSeconds:F2} s; delete to gone {removed.TotalSeconds:F2} s; whole test {total.Elapsed.TotalSeconds:F2} s");
    }

    [Theory]
    [InlineData(new[] { "--docs", ".", "--blob-connection", "UseDevelopmentStorage=true" }, "at most one document source")]
    [InlineData(new[] { "--docs", ".", "--container", "documents" }, "--container goes with --blob-connection")]
    [InlineData(new[] { "--blob-connection", "UseDevelopmentStorage=true", "--poll-interval", "00:00:00" }, "--poll-interval must be positive")]
    public void ServeTakesEitherAFolderOrABlobContainer(string[] arguments, string error)
    {
        var parse = SemanticSearchCommandLine.Create().Parse(["serve", .. arguments]);

        Assert.Contains(parse.Errors, e => e.Message.Contains(error, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData((object)new[] { "--blob-connection", "UseDevelopmentStorage=true", "--container", "documents" })]
    [InlineData((object)new[] { "--data", "some-index" })] // no source: the data folder is served as it is
    public void ServeAcceptsABlobContainerAloneOrNoSource(string[] arguments)
    {
        var parse = SemanticSearchCommandLine.Create().Parse(["serve", .. arguments]);

        Assert.Empty(parse.Errors);
    }

    private static async Task<IReadOnlyList<string>> SearchAsync(HttpClient client, string query, string mode = "keyword")
    {
        var body = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/search?q={Uri.EscapeDataString(query)}&mode={mode}&top=50", UriKind.Relative));
        return [.. body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("documentId").GetString()!)];
    }

    private static async Task<JsonElement?> StatusAsync(HttpClient client, string documentId)
    {
        using var response = await client.GetAsync(new Uri($"/api/documents/{documentId}", UriKind.Relative));
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what) =>
        await EventuallyAsync(async () => await condition() ? true : (bool?)null, what);

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what) where T : struct
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"Waited 30 s for {what}.");
            }
            await Task.Delay(100);
        }
    }
}
