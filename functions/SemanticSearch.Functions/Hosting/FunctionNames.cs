namespace SemanticSearch.Functions.Hosting;

/// <summary>
/// The function names, fixed: infrastructure refers to them (Event Grid subscriptions name
/// <c>Host.Functions.IngestBlobEventGrid</c>; <c>AzureWebJobs.{Name}.Disabled</c> switches one off).
/// </summary>
public static class FunctionNames
{
    public const string IngestBlob = nameof(IngestBlob);
    public const string IngestBlobEventGrid = nameof(IngestBlobEventGrid);
    public const string RemoveDeletedBlob = nameof(RemoveDeletedBlob);
    public const string Reconcile = nameof(Reconcile);
    public const string Search = nameof(Search);
    public const string ListDocuments = nameof(ListDocuments);
    public const string GetDocument = nameof(GetDocument);
    public const string Health = nameof(Health);
    public const string SearchPage = nameof(SearchPage);
    public const string PageAsset = nameof(PageAsset);

    public static IReadOnlyList<string> All { get; } = [IngestBlob, IngestBlobEventGrid, RemoveDeletedBlob, Reconcile, Search, ListDocuments, GetDocument, Health, SearchPage, PageAsset];
}
