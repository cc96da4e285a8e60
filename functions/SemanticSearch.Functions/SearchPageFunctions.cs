using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SemanticSearch.Functions.Hosting;
using SemanticSearch.Http;

namespace SemanticSearch.Functions;

/// <summary>
/// The search page, as the local server serves it at <c>/</c>: the page at <c>/api/page</c> behind the same
/// authorization level as search (open it with <c>?code=&lt;function key&gt;</c>; the page passes the key on to its API
/// calls), and its static files at <c>/api/assets/{file}</c> anonymously — a browser loads them without the key, and
/// they are the same public code for everyone.
/// </summary>
public sealed class SearchPageFunctions(PageAssets assets)
{
    [Function(FunctionNames.SearchPage)]
    public async Task<IActionResult> SearchPage(
        [HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = "page")] HttpRequest request)
    {
        // The page refers to its files as "assets/…", relative to its own address: from /api/page/ they would resolve
        // under /api/page/assets/, so the address with a slash moves to the one without, query (and key) kept.
        if (request.Path.Value?.EndsWith('/') == true)
        {
            return new RedirectResult(request.PathBase + request.Path.Value.TrimEnd('/') + request.QueryString, permanent: false);
        }
        await assets.ServePageAsync(request.HttpContext).ConfigureAwait(false);
        return new EmptyResult();
    }

    [Function(FunctionNames.PageAsset)]
    public async Task<IActionResult> PageAsset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "assets/{file}")] HttpRequest request,
        string? file)
    {
        await assets.ServeAssetAsync(request.HttpContext, file).ConfigureAwait(false);
        return new EmptyResult();
    }
}
