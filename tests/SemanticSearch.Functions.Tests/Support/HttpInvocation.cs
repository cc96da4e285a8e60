using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;

namespace SemanticSearch.Functions.Tests.Support;

/// <summary>The status, headers and JSON body an HTTP function's <see cref="IActionResult"/> wrote.</summary>
internal sealed record HttpResult(int Status, string? ContentType, IHeaderDictionary Headers, JsonElement Body);

/// <summary>
/// Calls an HTTP function the way the ASP.NET Core integration does: a real <see cref="HttpRequest"/> in, and the
/// returned <see cref="IActionResult"/> executed against the response with the app's services.
/// </summary>
internal static class HttpInvocation
{
    public static async Task<HttpResult> InvokeAsync(
        IServiceProvider services, Func<HttpRequest, Task<IActionResult>> function, string method = "GET", string? query = null, string? jsonBody = null)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost", 7071);
        if (query is not null)
        {
            context.Request.QueryString = new QueryString(query);
        }
        if (jsonBody is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(jsonBody);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentType = "application/json";
            context.Request.ContentLength = bytes.Length;
        }
        using var body = new MemoryStream();
        context.Response.Body = body;

        var result = await function(context.Request);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));

        body.Position = 0;
        using var document = await JsonDocument.ParseAsync(body);
        return new HttpResult(context.Response.StatusCode, context.Response.ContentType, context.Response.Headers, document.RootElement.Clone());
    }
}
