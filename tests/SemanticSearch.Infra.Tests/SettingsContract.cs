namespace SemanticSearch.Infra.Tests;

/// <summary>
/// The configuration contract between the application, the Functions host, the Bicep template and
/// local.settings.sample.json. Setting names are written in the ':' form the application binds; app settings and
/// local settings use the '__' form (<see cref="ToEnvironmentName"/>).
/// </summary>
internal static class SettingsContract
{
    /// <summary>
    /// Every setting the application reads. This list is the agreed contract, written out by hand; the lead will
    /// replace it by reflection over the SemanticSearch.Configuration options, so a new option fails these tests
    /// until the template and the sample learn it.
    /// </summary>
    public static readonly IReadOnlySet<string> KnownSettings = new HashSet<string>(StringComparer.Ordinal)
    {
        "Encoder:Provider",
        "Encoder:BatchSize",
        "Encoder:Onnx:ModelPath",
        "Encoder:Onnx:Threads",
        "Encoder:AzureOpenAI:Endpoint",
        "Encoder:AzureOpenAI:Deployment",
        "Encoder:AzureOpenAI:Dimensions",
        "Encoder:AzureOpenAI:ApiKey",
        "EmbeddingCache:Provider",
        "EmbeddingCache:Cosmos:ConnectionString",
        "EmbeddingCache:Cosmos:Endpoint",
        "EmbeddingCache:Cosmos:Database",
        "EmbeddingCache:Cosmos:Container",
        "EmbeddingCache:Cosmos:CreateIfMissing",
        "EmbeddingCache:Cosmos:TimeToLive",
        "Index:Provider",
        "Index:AzureAISearch:Endpoint",
        "Index:AzureAISearch:IndexName",
        "Index:AzureAISearch:ApiKey",
        "ResultCache:Provider",
        "ResultCache:Ttl",
        "ResultCache:Cosmos:Endpoint",
        "ResultCache:Cosmos:Database",
        "ResultCache:Cosmos:Container",
        "ResultCache:Cosmos:CreateIfMissing",
        "ResultCache:Cosmos:TimeToLive",
        "DocumentStatus:Provider",
        "DocumentStatus:Cosmos:Endpoint",
        "DocumentStatus:Cosmos:Database",
        "DocumentStatus:Cosmos:Container",
        "Chunking:MaxTokens",
        "Chunking:OverlapTokens",
        "Ingestion:MaxDocumentBytes",
        "Ingestion:MaxExtractedCharacters",
        "Data:Path",
        "Documents:Container",
    };

    /// <summary>
    /// Application settings the template leaves unset on purpose, and why (documented in infra/README.md).
    /// Everything else in <see cref="KnownSettings"/> must be set by the template.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> OptionalInAzure = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Encoder:BatchSize"] = "the application default suits the Azure OpenAI encoder",
        ["Encoder:Onnx:ModelPath"] = "the ONNX encoder is not used in Azure",
        ["Encoder:Onnx:Threads"] = "the ONNX encoder is not used in Azure",
        ["Encoder:AzureOpenAI:ApiKey"] = "secret: Azure uses the managed identity",
        ["EmbeddingCache:Cosmos:ConnectionString"] = "secret, emulator only: Azure uses the endpoint and the managed identity",
        ["EmbeddingCache:Cosmos:TimeToLive"] = "embeddings never go stale (the key covers model and text); the container allows per-item TTL",
        ["Index:AzureAISearch:ApiKey"] = "secret: Azure uses the managed identity",
        ["Chunking:MaxTokens"] = "application default",
        ["Chunking:OverlapTokens"] = "application default",
        ["Ingestion:MaxDocumentBytes"] = "application default",
        ["Ingestion:MaxExtractedCharacters"] = "application default",
        ["Data:Path"] = "only the embedded backends use a data folder",
    };

    /// <summary>Settings the template must never set: they carry secrets.</summary>
    public static readonly IReadOnlySet<string> Secrets = new HashSet<string>(StringComparer.Ordinal)
    {
        "Encoder:AzureOpenAI:ApiKey",
        "EmbeddingCache:Cosmos:ConnectionString",
        "Index:AzureAISearch:ApiKey",
    };

    /// <summary>
    /// Settings the platform reads in Azure rather than the application's options: the Functions host (all
    /// identity-based) and Azure.Identity (AZURE_CLIENT_ID selects the user-assigned identity for
    /// DefaultAzureCredential).
    /// </summary>
    public static readonly IReadOnlySet<string> AzureHostSettings = new HashSet<string>(StringComparer.Ordinal)
    {
        "AZURE_CLIENT_ID",
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri",
        "AzureWebJobsStorage__tableServiceUri",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
        "AzureWebJobs.IngestBlob.Disabled",
    };

    /// <summary>Settings the host reads when it runs locally (Core Tools + Azurite).</summary>
    public static readonly IReadOnlySet<string> LocalHostSettings = new HashSet<string>(StringComparer.Ordinal)
    {
        "AzureWebJobsStorage",
        "FUNCTIONS_WORKER_RUNTIME",
        "AzureWebJobs.IngestBlob.Disabled",
        "AzureWebJobs.IngestBlobEventGrid.Disabled",
    };

    /// <summary>App settings the Flex Consumption plan deprecates or rejects (functionAppConfig replaces them).</summary>
    public static readonly IReadOnlySet<string> FlexDeprecated = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "FUNCTIONS_EXTENSION_VERSION",
        "FUNCTIONS_WORKER_RUNTIME",
        "FUNCTIONS_WORKER_RUNTIME_VERSION",
        "FUNCTIONS_MAX_HTTP_CONCURRENCY",
        "FUNCTIONS_WORKER_PROCESS_COUNT",
        "FUNCTIONS_WORKER_DYNAMIC_CONCURRENCY_ENABLED",
        "SCM_DO_BUILD_DURING_DEPLOYMENT",
        "ENABLE_ORYX_BUILD",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
        "WEBSITE_CONTENTSHARE",
        "WEBSITE_CONTENTOVERVNET",
        "WEBSITE_NODE_DEFAULT_VERSION",
        "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT",
        "WEBSITE_TIME_ZONE",
        "TZ",
    };

    public static string ToEnvironmentName(string setting) => setting.Replace(":", "__", StringComparison.Ordinal);

    public static IReadOnlySet<string> KnownEnvironmentNames { get; } =
        KnownSettings.Select(ToEnvironmentName).ToHashSet(StringComparer.Ordinal);
}
