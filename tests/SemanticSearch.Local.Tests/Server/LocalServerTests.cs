using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Local.Tests.Server;

/// <summary>The HTTP API of the local server end to end: real files, real encoder, real embedded index.</summary>
public sealed class LocalServerTests
{
    private const string Bees = "Honeybees navigate using the position of the sun and communicate the direction of flowers with a waggle dance.";
    private const string Bread = "Sourdough bread rises because wild yeast and lactic acid bacteria ferment the flour over many hours.";
    private const string Volcano = "Volcanic eruptions eject ash and lava; pyroclastic flows race down the slopes at hundreds of kilometres per hour.";

    [Fact]
    public async Task FindsDocumentsByMeaningAndServesARepeatFromTheCache()
    {
        await using var server = new LocalServerHarness();
        server.Write("bees.md", "# Bees\n\n" + Bees);
        server.Write("bread.txt", Bread);
        server.Write("nested/volcano.txt", Volcano);
        var sync = await server.StartAsync();
        Assert.Equal(3, sync.Count(IngestionOutcome.Indexed));

        using var first = await server.Client.GetAsync(new Uri("/api/search?q=how%20do%20insects%20find%20food&top=2", UriKind.Relative));
        var body = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("MISS", first.Headers.GetValues("X-Cache").Single());
        Assert.Equal("miss", body.GetProperty("cache").GetString());
        Assert.Equal("hybrid", body.GetProperty("mode").GetString());
        Assert.Equal("how do insects find food", body.GetProperty("query").GetString());
        var results = body.GetProperty("results");
        Assert.Equal(2, results.GetArrayLength());
        Assert.Equal("bees.md", results[0].GetProperty("documentId").GetString());
        Assert.Contains("waggle dance", results[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{32}$", results[0].GetProperty("chunkId").GetString()!);
        Assert.True(results[0].GetProperty("score").GetDouble() > results[1].GetProperty("score").GetDouble());

        using var again = await server.Client.GetAsync(new Uri("/api/search?q=how%20do%20insects%20find%20food&top=2", UriKind.Relative));
        var againBody = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("HIT", again.Headers.GetValues("X-Cache").Single());
        Assert.Equal("hit", againBody.GetProperty("cache").GetString());
        Assert.Equal(results.GetRawText(), againBody.GetProperty("results").GetRawText());

        // POST with the same parameters is the same request.
        using var posted = await server.Client.PostAsJsonAsync(new Uri("/api/search", UriKind.Relative), new { q = "how do insects find food", top = 2, mode = "hybrid" });
        Assert.Equal("HIT", posted.Headers.GetValues("X-Cache").Single());
    }

    [Fact]
    public async Task AfterADocumentChangesTheSameSearchIsAMissAndSeesTheChange()
    {
        await using var server = new LocalServerHarness();
        server.Write("bees.md", Bees);
        server.Write("bread.txt", Bread);
        await server.StartAsync();
        const string Url = "/api/search?q=lava%20and%20ash%20from%20a%20mountain&top=1";

        var before = await server.GetJsonAsync(Url);
        Assert.NotEqual("volcano.txt", before.GetProperty("results")[0].GetProperty("documentId").GetString());
        Assert.Equal("hit", (await server.GetJsonAsync(Url)).GetProperty("cache").GetString());

        server.Write("volcano.txt", Volcano);
        await server.WaitForDocumentAsync("volcano.txt", s => s?.GetProperty("status").GetString() == "indexed");

        var after = await server.GetJsonAsync(Url);
        Assert.Equal("miss", after.GetProperty("cache").GetString());
        Assert.Equal("volcano.txt", after.GetProperty("results")[0].GetProperty("documentId").GetString());
    }

    [Fact]
    public async Task DeletingAFileRemovesItsDocument()
    {
        await using var server = new LocalServerHarness();
        var path = server.Write("volcano.txt", Volcano);
        server.Write("bread.txt", Bread);
        await server.StartAsync();
        Assert.Equal("volcano.txt", (await server.GetJsonAsync("/api/search?q=pyroclastic&mode=keyword")).GetProperty("results")[0].GetProperty("documentId").GetString());

        File.Delete(path);
        await server.WaitForDocumentAsync("volcano.txt", s => s is null);

        Assert.Equal(0, (await server.GetJsonAsync("/api/search?q=pyroclastic&mode=keyword")).GetProperty("results").GetArrayLength());
        using var missing = await server.Client.GetAsync(new Uri("/api/documents/volcano.txt", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task RenamingAFileMovesItsDocument()
    {
        await using var server = new LocalServerHarness();
        var path = server.Write("old-name.txt", Bees);
        await server.StartAsync();

        File.Move(path, Path.Combine(server.Docs, "new-name.txt"));
        await server.WaitForDocumentAsync("new-name.txt", s => s?.GetProperty("status").GetString() == "indexed");
        await server.WaitForDocumentAsync("old-name.txt", s => s is null);

        var results = (await server.GetJsonAsync("/api/search?q=waggle&mode=keyword")).GetProperty("results");
        Assert.Equal("new-name.txt", Assert.Single(results.EnumerateArray()).GetProperty("documentId").GetString());
    }

    [Fact]
    public async Task BadUploadsFailWithAReasonAndNothingOfThemIsSearchable()
    {
        await using var server = new LocalServerHarness();
        server.Settings["Ingestion:MaxDocumentBytes"] = "4096";
        server.Write("good.txt", Bees);
        server.Write("empty.txt", "");
        server.Write("corrupt.pdf", "%PDF-1.7\nxylophone this is not really a pdf at all" + new string('\0', 64));
        server.Write("garbage.md", [.. Enumerable.Range(0, 2048).Select(i => (byte)(i * 7919 % 256))]);
        server.Write("oversized.txt", string.Join(' ', Enumerable.Repeat("xylophone", 1000)));
        server.Write("encrypted.docx", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. Encoding.ASCII.GetBytes("xylophone")]);
        server.Write("slides.pptx", "xylophone");
        server.Write("broken.json", "{\"text\": \"xylophone\", ");
        await server.StartAsync();

        var expected = new Dictionary<string, string>
        {
            ["empty.txt"] = "Empty",
            ["corrupt.pdf"] = "Corrupt",
            ["garbage.md"] = "Binary",
            ["oversized.txt"] = "TooLarge",
            ["encrypted.docx"] = "Encrypted",
            ["slides.pptx"] = "Unsupported",
            ["broken.json"] = "Corrupt",
        };
        foreach (var (documentId, reason) in expected)
        {
            var status = (await server.WaitForDocumentAsync(documentId, s => s is not null))!.Value;
            Assert.Equal("failed", status.GetProperty("status").GetString());
            Assert.StartsWith(reason + ":", status.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Equal(0, status.GetProperty("chunks").GetInt32());
        }

        foreach (var mode in new[] { "keyword", "hybrid" })
        {
            var results = (await server.GetJsonAsync($"/api/search?q=xylophone&mode={mode}&top=50")).GetProperty("results");
            Assert.All(results.EnumerateArray(), r => Assert.Equal("good.txt", r.GetProperty("documentId").GetString()));
        }
        Assert.Equal("indexed", (await server.GetJsonAsync("/api/documents/good.txt")).GetProperty("status").GetString());
        using var health = await server.Client.GetAsync(new Uri("/api/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task AGoodDocumentThatTurnsBadLosesItsChunks()
    {
        await using var server = new LocalServerHarness();
        server.Write("report.pdf", "placeholder");
        server.Write("notes.txt", Bees);
        await server.StartAsync();
        Assert.Equal(1, (await server.GetJsonAsync("/api/search?q=waggle&mode=keyword")).GetProperty("results").GetArrayLength());

        server.Write("notes.txt", [0x00, 0xFF, 0x00, 0xFE, 0x00, 0x01, 0x02, 0x03, 0x00, 0x00, 0xC3, 0x28]);
        await server.WaitForDocumentAsync("notes.txt", s => s?.GetProperty("status").GetString() == "failed");

        Assert.Equal(0, (await server.GetJsonAsync("/api/search?q=waggle&mode=keyword")).GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task ADataFolderInsideTheDocumentsFolderIsNotTakenForDocuments()
    {
        await using var server = new LocalServerHarness();
        server.Settings["Data:Path"] = Path.Combine(server.Docs, "search-data");
        server.Write("bees.md", Bees);
        server.Write(".hidden/notes.txt", Bread);
        server.Write("~$draft.docx", "lock file");

        var sync = await server.StartAsync();
        server.Write("bread.txt", Bread);
        await server.WaitForDocumentAsync("bread.txt", s => s?.GetProperty("status").GetString() == "indexed");
        await Task.Delay(FolderWatcherQuietPeriod * 3);

        Assert.Equal(["bees.md"], sync.Results.Select(r => r.DocumentId));
        var all = await server.GetJsonAsync("/api/documents");
        Assert.Equal(["bees.md", "bread.txt"], all.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("documentId").GetString()));
    }

    private static readonly TimeSpan FolderWatcherQuietPeriod = SemanticSearch.Local.Folders.FolderWatcher.QuietPeriod;

    [Fact]
    public async Task ALinkToAFileOutsideTheDocumentsFolderIsNeverIndexedNorServed()
    {
        await using var server = new LocalServerHarness();
        var outside = Path.Combine(Path.GetDirectoryName(server.Docs)!, "outside.txt");
        File.WriteAllText(outside, "The vault combination is seven zebras.");
        File.CreateSymbolicLink(Path.Combine(server.Docs, "leak.txt"), outside);
        server.Write("bees.md", Bees);
        await server.StartAsync();

        var hits = await server.GetJsonAsync("/api/search?q=vault+combination+zebras&mode=keyword");
        using var status = await server.Client.GetAsync(new Uri("/api/documents/leak.txt", UriKind.Relative));

        Assert.Empty(hits.GetProperty("results").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Fact]
    public async Task ListsDocumentsAndShowsOneByIdEvenWithSlashes()
    {
        await using var server = new LocalServerHarness();
        server.Write("a/b/bees.md", Bees);
        server.Write("bread.txt", Bread);
        await server.StartAsync();

        var all = await server.GetJsonAsync("/api/documents");
        Assert.Equal(["a/b/bees.md", "bread.txt"], all.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("documentId").GetString()));

        var one = await server.GetJsonAsync("/api/documents/a/b/bees.md");
        Assert.Equal("a/b/bees.md", one.GetProperty("documentId").GetString());
        Assert.Equal("indexed", one.GetProperty("status").GetString());
        Assert.Equal(1, one.GetProperty("chunks").GetInt32());
        Assert.Equal(1, one.GetProperty("embeddingsComputed").GetInt32() + one.GetProperty("embeddingsReused").GetInt32());
        Assert.Equal(JsonValueKind.Null, one.GetProperty("error").ValueKind);
        var updatedAt = DateTimeOffset.Parse(one.GetProperty("updatedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.Zero, updatedAt.Offset);
        Assert.EndsWith("Z", one.GetProperty("updatedAt").GetString(), StringComparison.Ordinal);
        Assert.InRange(DateTimeOffset.UtcNow - updatedAt, TimeSpan.Zero, TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task HealthNamesTheEncoderAndTheBackends()
    {
        await using var server = new LocalServerHarness();
        await server.StartAsync();

        var health = await server.GetJsonAsync("/api/health");

        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal("all-MiniLM-L6-v2-int8", health.GetProperty("encoder").GetProperty("modelId").GetString());
        Assert.Equal(384, health.GetProperty("encoder").GetProperty("dimensions").GetInt32());
        Assert.Equal("onnx", health.GetProperty("encoder").GetProperty("provider").GetString());
        var backends = health.GetProperty("backends");
        Assert.Equal("embedded", backends.GetProperty("index").GetString());
        Assert.Equal("sqlite", backends.GetProperty("embeddingCache").GetString());
        Assert.Equal("memory", backends.GetProperty("resultCache").GetString());
        Assert.Equal("sqlite", backends.GetProperty("documentStatus").GetString());
    }
}
