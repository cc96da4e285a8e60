using System.Text.Json;

namespace SemanticSearch.Functions.Tests.Functions;

/// <summary>The HTTP functions called with real <c>HttpRequest</c>s; their results executed as the ASP.NET Core integration does.</summary>
[Collection(SharedAzurite.Name)]
public sealed class HttpFunctionTests(AzuriteFixture azurite)
{
    private const string Bees = "Honeybees navigate using the position of the sun and communicate the direction of flowers with a waggle dance.";
    private const string Bread = "Sourdough bread rises because wild yeast and lactic acid bacteria ferment the flour over many hours.";

    [Fact]
    public async Task SearchAnswersGetAndPostWithTheSameJsonAndCacheHeader()
    {
        await using var app = await StartWithDocumentsAsync();

        var get = await app.HttpAsync((f, r) => f.Search(r), query: "?q=how%20do%20insects%20find%20food&top=2");
        var post = await app.HttpAsync((f, r) => f.Search(r), method: "POST", jsonBody: """{"q": "how do insects find food", "top": 2, "mode": "hybrid"}""");

        Assert.Equal(200, get.Status);
        Assert.Equal("MISS", get.Headers["X-Cache"].ToString());
        Assert.Equal("hybrid", get.Body.GetProperty("mode").GetString());
        var results = get.Body.GetProperty("results");
        Assert.Equal(2, results.GetArrayLength());
        Assert.Equal("a/b/bees.md", results[0].GetProperty("documentId").GetString());
        Assert.Contains("waggle dance", results[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal("HIT", post.Headers["X-Cache"].ToString());
        Assert.Equal(results.GetRawText(), post.Body.GetProperty("results").GetRawText());
    }

    [Theory]
    [InlineData("GET", "?q=bees&top=0", null, "top")]
    [InlineData("GET", "?q=%20", null, "q")]
    [InlineData("GET", "?q=bees&mode=semantic", null, "mode")]
    [InlineData("POST", null, "{\"q\": \"bees\", \"top\": 2.5}", "top")]
    [InlineData("POST", null, "[\"bees\"]", "body")]
    public async Task InvalidSearchesGetTheSame400ProblemBodyAsTheLocalServer(string method, string? query, string? body, string parameter)
    {
        await using var app = await StartWithDocumentsAsync();

        var result = await app.HttpAsync((f, r) => f.Search(r), method, query, body);

        Assert.Equal(400, result.Status);
        Assert.Equal("application/problem+json", result.ContentType?.Split(';')[0]);
        Assert.Equal(400, result.Body.GetProperty("status").GetInt32());
        Assert.True(result.Body.GetProperty("errors").TryGetProperty(parameter, out var messages), $"errors should name '{parameter}': {result.Body}");
        Assert.NotEmpty(messages.EnumerateArray());
    }

    [Fact]
    public async Task DocumentsAreListedAndShownByIdEvenWithSlashes()
    {
        await using var app = await StartWithDocumentsAsync();

        var all = await app.HttpAsync((f, r) => f.ListDocuments(r));
        var one = await app.HttpAsync((f, r) => f.GetDocument(r, "a/b/bees.md"));
        var missing = await app.HttpAsync((f, r) => f.GetDocument(r, "nope.txt"));
        var none = await app.HttpAsync((f, r) => f.GetDocument(r, null));

        Assert.Equal(["a/b/bees.md", "bread.txt"], all.Body.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("documentId").GetString()));
        Assert.Equal("indexed", one.Body.GetProperty("status").GetString());
        Assert.Equal(1, one.Body.GetProperty("chunks").GetInt32());
        Assert.Equal(JsonValueKind.Null, one.Body.GetProperty("error").ValueKind);
        Assert.Equal(404, missing.Status);
        Assert.Equal("application/problem+json", missing.ContentType?.Split(';')[0]);
        Assert.Equal(400, none.Status);
    }

    [Fact]
    public async Task HealthNamesTheEncoderAndTheBackends()
    {
        await using var app = await StartWithDocumentsAsync();

        var health = await app.HttpAsync((f, r) => f.Health(r));

        Assert.Equal(200, health.Status);
        Assert.Equal("healthy", health.Body.GetProperty("status").GetString());
        Assert.Equal("all-MiniLM-L6-v2-int8", health.Body.GetProperty("encoder").GetProperty("modelId").GetString());
        Assert.Equal("embedded", health.Body.GetProperty("backends").GetProperty("index").GetString());
    }

    private async Task<FunctionsHarness> StartWithDocumentsAsync()
    {
        var app = new FunctionsHarness(azurite);
        await app.StartAsync();
        await app.UploadAsync("a/b/bees.md", "# Bees\n\n" + Bees);
        await app.UploadAsync("bread.txt", Bread);
        await app.IngestBlobAsync("a/b/bees.md");
        await app.IngestBlobAsync("bread.txt");
        return app;
    }
}
