using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SemanticSearch.Http;

public static class SemanticSearchHttpExtensions
{
    /// <summary>
    /// Registers <see cref="SearchApi"/> and MVC's result executors, which run the <see cref="IActionResult"/>s it
    /// returns (the Functions ASP.NET Core integration registers them too; adding them keeps a composition whole where
    /// no worker runs).
    /// </summary>
    public static IServiceCollection AddSemanticSearchHttpApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ClientPrincipalReader>();
        services.TryAddSingleton<SearchApi>();
        services.TryAddSingleton(PageAssets.Embedded);
        services.AddMvcCore();
        return services;
    }

    /// <summary>Maps the API's routes under <c>/api</c> onto <see cref="SearchApi"/>, as the Functions app's HTTP triggers do.</summary>
    public static IEndpointRouteBuilder MapSemanticSearchApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapMethods("/api/search", [HttpMethods.Get, HttpMethods.Post], context =>
            Execute(context, Api(context).SearchAsync(context.Request, context.RequestAborted)));
        routes.MapGet("/api/documents", context =>
            Execute(context, Api(context).ListDocumentsAsync(context.Request, context.RequestAborted)));
        routes.MapGet("/api/documents/{**documentId}", context =>
            Execute(context, Api(context).GetDocumentAsync(context.GetRouteValue("documentId") as string, context.RequestAborted)));
        routes.MapGet("/api/health", context =>
            Execute(context, Api(context).HealthAsync(context.RequestAborted)));
        return routes;
    }

    /// <summary>Maps the search page: <c>/</c> and its files under <c>/assets/</c> (the Functions app serves it at <c>/api/page</c>).</summary>
    public static IEndpointRouteBuilder MapSearchPage(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], context =>
            context.RequestServices.GetRequiredService<PageAssets>().ServePageAsync(context));
        routes.MapMethods("/assets/{file}", [HttpMethods.Get, HttpMethods.Head], context =>
            context.RequestServices.GetRequiredService<PageAssets>().ServeAssetAsync(context, context.GetRouteValue("file") as string));
        return routes;
    }

    private static SearchApi Api(HttpContext context) => context.RequestServices.GetRequiredService<SearchApi>();

    private static async Task Execute(HttpContext context, Task<IActionResult> handling)
    {
        var result = await handling.ConfigureAwait(false);
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor())).ConfigureAwait(false);
    }
}
