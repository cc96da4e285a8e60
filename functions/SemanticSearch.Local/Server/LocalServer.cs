using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using SemanticSearch.Configuration;
using SemanticSearch.Http;

namespace SemanticSearch.Local.Server;

/// <summary>
/// The HTTP API on Kestrel: the same routes, handlers and JSON as the Azure Functions app, because both call
/// <see cref="SearchApi"/>. Its <see cref="IActionResult"/>s are executed with MVC's result executors.
/// </summary>
public static class LocalServer
{
    /// <summary>Builds the web application; <paramref name="configure"/> adds the document source (folder or blob container).</summary>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = Directory.GetCurrentDirectory() });
        // Command-line options win over appsettings.json and environment variables.
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        // Request-by-request framework logs drown the product's own; appsettings.json can turn them back on.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSemanticSearch(builder.Configuration);
        builder.Services.AddMvcCore();
        builder.Services.AddProblemDetails();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = _ => StatusCodes.Status500InternalServerError });
        app.UseStatusCodePages();
        MapApi(app);
        return app;
    }

    public static void MapApi(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapMethods("/api/search", [HttpMethods.Get, HttpMethods.Post], context =>
            Execute(context, Api(context).SearchAsync(context.Request, context.RequestAborted)));
        routes.MapGet("/api/documents", context =>
            Execute(context, Api(context).ListDocumentsAsync(context.RequestAborted)));
        routes.MapGet("/api/documents/{**documentId}", context =>
            Execute(context, Api(context).GetDocumentAsync(context.GetRouteValue("documentId") as string, context.RequestAborted)));
        routes.MapGet("/api/health", context =>
            Execute(context, Api(context).HealthAsync(context.RequestAborted)));
    }

    private static SearchApi Api(HttpContext context) => context.RequestServices.GetRequiredService<SearchApi>();

    private static async Task Execute(HttpContext context, Task<IActionResult> handling)
    {
        var result = await handling.ConfigureAwait(false);
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor())).ConfigureAwait(false);
    }
}
