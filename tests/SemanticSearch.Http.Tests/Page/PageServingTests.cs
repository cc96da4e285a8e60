using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace SemanticSearch.Http.Tests.Page;

/// <summary>How the page's files are served (<see cref="PageAssets"/>, mapped as the local server maps them): no browser needed.</summary>
public sealed class PageServingTests : IAsyncLifetime
{
    private ApiHarness? _server;

    private HttpClient Client => _server!.Client;

    public async Task InitializeAsync() => _server = await ApiHarness.StartAsync();

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    [Theory]
    [InlineData("/", "text/html; charset=utf-8")]
    [InlineData("/assets/app.js", "text/javascript; charset=utf-8")]
    [InlineData("/assets/render.js", "text/javascript; charset=utf-8")]
    [InlineData("/assets/api.js", "text/javascript; charset=utf-8")]
    [InlineData("/assets/app.css", "text/css; charset=utf-8")]
    [InlineData("/assets/favicon.svg", "image/svg+xml")]
    public async Task FilesAreServedWithTheirTypeAndTheSecurityHeaders(string path, string contentType)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.ToString());
        Assert.Equal(PageAssets.ContentSecurityPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("/assets/nothing.js")]
    [InlineData("/assets/index.html")]
    [InlineData("/assets/SemanticSearch.Http.dll")]
    [InlineData("/assets/..%2Fappsettings.json")]
    [InlineData("/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd")]
    [InlineData("/index.html")]
    public async Task AnythingElseIsA404(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AnUnchangedFileIsRevalidatedWithA304()
    {
        using var first = await Client.GetAsync(new Uri("/assets/app.js", UriKind.Relative));
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/assets/app.js", UriKind.Relative));
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag.Tag));

        using var second = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task AHostCanMoveTheApiBaseAndItIsHtmlEncoded()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();

        await PageAssets.Embedded.ServePageAsync(context, apiBase: "/x/api\"><script>");

        context.Response.Body.Position = 0;
        var html = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Contains("<meta name=\"api-base\" content=\"/x/api&quot;&gt;&lt;script&gt;\">", html, StringComparison.Ordinal);
        Assert.Equal(["api.js", "app.css", "app.js", "favicon.svg", "index.html", "render.js"], PageAssets.Embedded.Names.Order(StringComparer.Ordinal));
    }
}
