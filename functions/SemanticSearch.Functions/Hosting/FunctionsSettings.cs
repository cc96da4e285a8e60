using Microsoft.Extensions.Configuration;

namespace SemanticSearch.Functions.Hosting;

/// <summary>
/// The settings the Functions host itself reads (trigger paths, schedules, connections), on top of the library's
/// <see cref="SemanticSearch.Configuration.SemanticSearchOptions"/>. App settings spell them with <c>__</c>
/// (<c>Documents__Container</c>); the host's configuration turns that into <c>:</c>, which is what a
/// <c>%...%</c> binding expression looks up, so the trigger attributes write <c>%Documents:Container%</c>.
/// </summary>
public static class FunctionsSettings
{
    /// <summary>The storage account of the triggers, the deletion queue and the reconciler: a connection string, or
    /// <c>AzureWebJobsStorage__accountName</c> / <c>__blobServiceUri</c> with a managed identity.</summary>
    public const string StorageConnection = "AzureWebJobsStorage";

    public const string DocumentsContainer = "Documents:Container";

    /// <summary>The blob trigger path: every blob of the documents container; <c>{name}</c> is the document id.</summary>
    public const string DocumentsPath = "%" + DocumentsContainer + "%/{name}";

    public const string ReconcileSchedule = "Reconcile:Schedule";

    public const string ReconcileScheduleExpression = "%" + ReconcileSchedule + "%";

    /// <summary>The storage queue an Event Grid subscription fills with <c>Microsoft.Storage.BlobDeleted</c> events.</summary>
    public const string DeletedBlobQueue = "blob-deleted-events";

    /// <summary>The storage queue <c>Reconcile</c> fans its per-blob work out to (the template creates it).</summary>
    public const string ReconcileWorkQueue = "reconcile-work";

    /// <summary>The container of the per-document lock blobs (<c>BlobLeaseDocumentLocks</c>), in the host's storage account.</summary>
    public const string DocumentLocksContainer = "document-locks";

    /// <summary>
    /// What stops the app from doing its job, one message per problem naming the setting; empty when all is well.
    /// Without the container or the storage connection nothing is ingested (and the worker's default container name
    /// would silently differ from the host's trigger path), so these are fatal at start-up.
    /// </summary>
    public static IReadOnlyList<string> Validate(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(configuration[DocumentsContainer]))
        {
            problems.Add($"{AppSetting(DocumentsContainer)} is required: the Functions host resolves the blob trigger path {DocumentsPath} from it (for example \"documents\").");
        }
        var storage = configuration.GetSection(StorageConnection);
        if (string.IsNullOrWhiteSpace(storage.Value) && string.IsNullOrWhiteSpace(storage["blobServiceUri"]) && string.IsNullOrWhiteSpace(storage["accountName"]))
        {
            problems.Add($"{StorageConnection} is required: a connection string (UseDevelopmentStorage=true for Azurite), or {StorageConnection}__accountName / {StorageConnection}__blobServiceUri for a managed identity.");
        }
        return problems;
    }

    /// <summary>
    /// What degrades the app without stopping it. A missing schedule leaves only <see cref="FunctionNames.Reconcile"/>
    /// unindexed (the host reports that one function in error); search and event-driven ingestion keep working, so
    /// the worker logs it as an error instead of refusing to start.
    /// </summary>
    public static IReadOnlyList<string> Warnings(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return string.IsNullOrWhiteSpace(configuration[ReconcileSchedule])
            ? [$"{AppSetting(ReconcileSchedule)} is not set: the {FunctionNames.Reconcile} timer cannot run, so missed blob events are never repaired (set an NCRONTAB expression such as \"0 */15 * * * *\")."]
            : [];
    }

    /// <summary>How a setting is written as an app setting or environment variable.</summary>
    public static string AppSetting(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
