namespace SemanticSearch.Functions.Hosting;

/// <summary>
/// The function names, fixed: infrastructure refers to them (Event Grid subscriptions name
/// <c>Host.Functions.IngestBlobEventGrid</c>; <c>AzureWebJobs.{Name}.Disabled</c> switches one off; the poison-queue
/// alert names <c>reconcile-work-poison</c>).
/// </summary>
public static class FunctionNames
{
    public const string IngestBlob = nameof(IngestBlob);
    public const string IngestBlobEventGrid = nameof(IngestBlobEventGrid);
    public const string RemoveDeletedBlob = nameof(RemoveDeletedBlob);
    public const string Reconcile = nameof(Reconcile);
    public const string ProcessReconcileWork = nameof(ProcessReconcileWork);
    public const string Search = nameof(Search);
    public const string ListDocuments = nameof(ListDocuments);
    public const string GetDocument = nameof(GetDocument);
    public const string Health = nameof(Health);
    public const string SearchPage = nameof(SearchPage);
    public const string PageAsset = nameof(PageAsset);

    /// <summary>
    /// Every function of a local build. <see cref="IngestBlob"/> (the polling blob trigger) exists only in builds with
    /// <c>IncludePollingBlobTrigger</c> (Debug, Core Tools with Azurite): the Release package azd publishes to Flex
    /// Consumption does not contain it.
    /// </summary>
    public static IReadOnlyList<string> All { get; } = [IngestBlob, IngestBlobEventGrid, RemoveDeletedBlob, Reconcile, ProcessReconcileWork, Search, ListDocuments, GetDocument, Health, SearchPage, PageAsset];
}
