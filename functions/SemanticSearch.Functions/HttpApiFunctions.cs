using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SemanticSearch.Functions.Hosting;
using SemanticSearch.Http;

namespace SemanticSearch.Functions;

/// <summary>
/// The HTTP API under <c>/api</c>: the same routes, JSON and 400 problem bodies as the local server, because both
/// call <see cref="SearchApi"/>. Search and documents need a function key; health is anonymous for probes.
/// </summary>
public sealed class HttpApiFunctions(SearchApi api)
{
    [Function(FunctionNames.Search)]
    public Task<IActionResult> Search(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = "search")] HttpRequest request) =>
        api.SearchAsync(request, request.HttpContext.RequestAborted);

    [Function(FunctionNames.ListDocuments)]
    public Task<IActionResult> ListDocuments(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "documents")] HttpRequest request) =>
        api.ListDocumentsAsync(request, request.HttpContext.RequestAborted);

    /// <summary>The id is a blob name and may contain '/', hence the catch-all route parameter.</summary>
    [Function(FunctionNames.GetDocument)]
    public Task<IActionResult> GetDocument(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "documents/{*documentId}")] HttpRequest request,
        string? documentId) =>
        api.GetDocumentAsync(documentId, request.HttpContext.RequestAborted);

    [Function(FunctionNames.Health)]
    public Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) =>
        api.HealthAsync(request.HttpContext.RequestAborted);
}
