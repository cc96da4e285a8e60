using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Http;

namespace SemanticSearch.Functions.Tests.Functions;

/// <summary>The search page as the Functions app serves it: the page behind the function key, its files anonymous.</summary>
public sealed class SearchPageFunctionTests
{
    private readonly SearchPageFunctions _functions = new(PageAssets.Embedded);

    [Fact]
    public async Task ThePageIsServedWithItsSecurityHeaders()
    {
        var (status, headers, body) = await InvokeAsync(c => _functions.SearchPage(c.Request), "/api/page", "?code=key&q=bees");

        Assert.Equal(200, status);
        Assert.Equal(PageAssets.ContentSecurityPolicy, headers.ContentSecurityPolicy.ToString());
        Assert.Contains("<input id=\"q\" name=\"q\" type=\"search\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAddressWithASlashMovesToTheOneWithoutKeepingTheKeyAndQuery()
    {
        var (status, headers, _) = await InvokeAsync(c => _functions.SearchPage(c.Request), "/api/page/", "?code=key&q=bees");

        Assert.Equal(302, status);
        Assert.Equal("/api/page?code=key&q=bees", headers.Location.ToString());
    }

    [Theory]
    [InlineData("app.js", 200)]
    [InlineData("index.html", 404)]
    [InlineData("../host.json", 404)]
    public async Task TheAnonymousAssetFunctionServesOnlyThePagesFilesNotThePage(string file, int expected)
    {
        var (status, _, _) = await InvokeAsync(c => _functions.PageAsset(c.Request, file), "/api/assets/" + file, "");

        Assert.Equal(expected, status);
    }

    private static async Task<(int Status, IHeaderDictionary Headers, string Body)> InvokeAsync(
        Func<HttpContext, Task<IActionResult>> function, string path, string query)
    {
        var services = new ServiceCollection().AddLogging().AddMvcCore().Services.BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        using var body = new MemoryStream();
        context.Response.Body = body;

        var result = await function(context);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));

        return (context.Response.StatusCode, context.Response.Headers, System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }
}
