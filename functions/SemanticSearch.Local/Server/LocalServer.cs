using SemanticSearch.AzureBackends;
using SemanticSearch.Configuration;
using SemanticSearch.Http;

namespace SemanticSearch.Local.Server;

/// <summary>
/// The HTTP API on Kestrel: the same routes, handlers and JSON as the Azure Functions app, because both call
/// <see cref="SearchApi"/> (mapped by <see cref="SemanticSearchHttpExtensions.MapSemanticSearchApi"/>).
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
        builder.Services.AddSemanticSearch(builder.Configuration).AddAzureBackends().AddSemanticSearchHttpApi();
        builder.Services.AddProblemDetails();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Every request is small: a bound on each part keeps a slow or oversized client from holding the server.
            kestrel.Limits.MaxRequestBodySize = RequestLimits.MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = RequestLimits.MaxRequestHeadersTotalBytes;
            kestrel.Limits.MaxRequestLineSize = RequestLimits.MaxRequestLineBytes;
            kestrel.Limits.RequestHeadersTimeout = RequestLimits.RequestHeadersTimeout;
            kestrel.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(RequestLimits.MinBodyBytesPerSecond, RequestLimits.MinBodyRateGracePeriod);
        });
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = StatusCodeOf });
        app.UseStatusCodePages();
        if (builder.Configuration[ApiKeyGate.Setting] is { Length: > 0 } key)
        {
            app.Use(new ApiKeyGate(key).InvokeAsync);
        }
        app.MapSemanticSearchApi();
        app.MapSearchPage();
        return app;
    }

    /// <summary>A body Kestrel refused for its size is the caller's 413, not our 500.</summary>
    private static int StatusCodeOf(Exception exception) =>
        exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
}
