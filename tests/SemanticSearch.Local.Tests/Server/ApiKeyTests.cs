using System.Net;
using SemanticSearch.Local.Commands;
using SemanticSearch.Local.Server;
using SemanticSearch.Local.Tests.Support;

namespace SemanticSearch.Local.Tests.Server;

/// <summary>A key beyond loopback: the server refuses to listen there without one, and with one every request but health and the page's files must carry it.</summary>
[Collection(CommandLine.Name)] // swaps the process-wide Console.Error
public sealed class ApiKeyTests
{
    private const string Key = "0123456789abcdef-key";

    [Theory]
    [InlineData("http://127.0.0.1:7071", true)]
    [InlineData("http://localhost:7071", true)]
    [InlineData("http://[::1]:7071", true)]
    [InlineData("http://127.0.0.2:7071;http://localhost:8080", true)]
    [InlineData("http://0.0.0.0:7071", false)]
    [InlineData("http://*:7071", false)]
    [InlineData("http://+:7071", false)]
    [InlineData("http://[::]:7071", false)]
    [InlineData("http://192.168.1.20:7071", false)]
    [InlineData("http://search.example.com:7071", false)]
    [InlineData("http://127.0.0.1:7071;http://0.0.0.0:8080", false)]
    public void OnlyLoopbackAddressesCountAsThisMachine(string urls, bool loopback) =>
        Assert.Equal(loopback, ListenAddresses.AreLoopbackOnly(urls));

    [Fact]
    public async Task ServeRefusesToListenBeyondLoopbackWithoutAKeyAndNamesTheOption()
    {
        using var docs = new TempDirectory();
        var previous = Console.Error;
        using var error = new StringWriter();
        Console.SetError(error);
        int exitCode;
        try
        {
            exitCode = await SemanticSearchCommandLine.Create()
                .Parse(["serve", "--docs", docs.Path, "--data", Path.Combine(docs.Path, ".data"), "--urls", "http://0.0.0.0:0"])
                .InvokeAsync();
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.Equal(2, exitCode);
        Assert.Contains("--api-key", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(ApiKeyGate.Setting, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/search?q=bees", null, HttpStatusCode.Unauthorized)]
    [InlineData("/api/search?q=bees", "wrong-key-of-some-length", HttpStatusCode.Unauthorized)]
    [InlineData("/api/search?q=bees", Key, HttpStatusCode.OK)]
    [InlineData("/api/documents", null, HttpStatusCode.Unauthorized)]
    [InlineData("/api/documents", Key, HttpStatusCode.OK)]
    [InlineData("/", null, HttpStatusCode.Unauthorized)]
    [InlineData("/api/health", null, HttpStatusCode.OK)]
    [InlineData("/assets/app.js", null, HttpStatusCode.OK)]
    public async Task WithAKeyEveryRequestButHealthAndThePagesFilesMustCarryIt(string path, string? key, HttpStatusCode expected)
    {
        await using var server = new LocalServerHarness();
        server.Settings[ApiKeyGate.Setting] = Key;
        await server.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (key is not null)
        {
            request.Headers.Add(ApiKeyGate.HeaderName, key);
        }

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("api-key", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ThePageOpenedWithTheKeyAsCodeIsLetIn()
    {
        await using var server = new LocalServerHarness();
        server.Settings[ApiKeyGate.Setting] = Key;
        await server.StartAsync();

        using var page = await server.Client.GetAsync(new Uri($"/?code={Key}", UriKind.Relative));
        using var search = await server.Client.GetAsync(new Uri($"/api/search?q=bees&code={Key}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
    }
}
