using System.Text.Json.Nodes;

namespace SemanticSearch.Infra.Tests;

/// <summary>
/// The configuration contract between the application, the Functions host, the Bicep template and
/// local.settings.sample.json. Setting names are written in the ':' form the application binds; app settings and
/// local settings use the '__' form (<see cref="ToEnvironmentName"/>).
/// </summary>
/// <remarks>
/// The list of settings is not written here: it is derived from local.settings.sample.json. The Functions tests
/// (tests/SemanticSearch.Functions.Tests, LocalSettingsSampleTests) prove by reflection that the sample lists exactly
/// every option of SemanticSearchOptions plus every setting the Functions host resolves (%...% expressions and
/// connections in functions.metadata, the worker runtime, the trigger switches), nothing more. These tests prove the
/// template against the sample, so the chain is options = sample = template and a new option fails here until the
/// template sets it or <see cref="OptionalInAzure"/> says why not. Reading the sample rather than reflecting over the
/// options keeps this project free of the application: referencing SemanticSearch would copy its 90 MB ONNX model
/// into the test output and tie the Bicep checks to the application's build.
/// </remarks>
internal static class SettingsContract
{
    /// <summary>Settings the Functions host reads only when it runs locally (Core Tools + Azurite).</summary>
    public static readonly IReadOnlySet<string> LocalHostSettings = new HashSet<string>(StringComparer.Ordinal)
    {
        "AzureWebJobsStorage",
        "FUNCTIONS_WORKER_RUNTIME",
        "AzureWebJobs.IngestBlob.Disabled",
        "AzureWebJobs.IngestBlobEventGrid.Disabled",
    };

    /// <summary>
    /// Every setting of the application and of its functions' bindings, in the ':' form: the keys of
    /// local.settings.sample.json's Values ('__' read as ':') minus <see cref="LocalHostSettings"/>.
    /// </summary>
    public static IReadOnlySet<string> KnownSettings { get; } = LoadKnownSettings();

    /// <summary>
    /// Application settings the template leaves unset on purpose, and why (documented in infra/README.md).
    /// Everything else in <see cref="KnownSettings"/> must be set by the template.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> OptionalInAzure = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Data:Path"] = "only the embedded backends use a data folder",
        ["Encoder:BatchSize"] = "the application default (32 inputs a request, about 6,400 tokens) fits the per-instance share of the deployment's tokens a minute (infra/README.md, Throughput)",
        ["Encoder:Onnx:Model"] = "the ONNX encoder is not used in Azure",
        ["Encoder:Onnx:ModelPath"] = "the ONNX encoder is not used in Azure",
        ["Encoder:Onnx:Threads"] = "the ONNX encoder is not used in Azure",
        ["Encoder:Onnx:AllowSpinning"] = "the ONNX encoder is not used in Azure",
        ["Encoder:Onnx:Niceness"] = "the ONNX encoder is not used in Azure",
        ["Encoder:AzureOpenAI:ApiKey"] = "secret, stand-in only: Azure uses the managed identity",
        ["EmbeddingCache:Cosmos:ConnectionString"] = "secret, emulator only: Azure uses the endpoint and the managed identity",
        ["EmbeddingCache:Cosmos:TimeToLive"] = "embeddings never go stale (the key covers model and text); the container allows per-item TTL",
        ["Index:Embedded:CandidateDepth"] = "the embedded index is not used in Azure (Azure AI Search fuses on the service)",
        ["Index:Embedded:RrfK"] = "the embedded index is not used in Azure (Azure AI Search fuses on the service)",
        ["Index:Embedded:KeywordWeight"] = "the embedded index is not used in Azure (Azure AI Search fuses on the service)",
        ["Index:Embedded:VectorWeight"] = "the embedded index is not used in Azure (Azure AI Search fuses on the service)",
        ["Index:Embedded:VectorSearch"] = "the embedded index is not used in Azure (Azure AI Search runs its own vector search)",
        ["Index:Embedded:QuantizedAbove"] = "the embedded index is not used in Azure (Azure AI Search runs its own vector search)",
        ["Index:Embedded:RerankCandidates"] = "the embedded index is not used in Azure (Azure AI Search runs its own vector search)",
        ["Index:Embedded:WriterLockTimeout"] = "the embedded index is not used in Azure (Azure AI Search takes concurrent writers)",
        ["Index:AzureAISearch:ApiKey"] = "secret, stand-in only: Azure uses the managed identity",
        ["Index:AzureAISearch:State:ConnectionString"] = "secret, emulator only: Azure uses the endpoint and the managed identity",
        ["Index:AzureAISearch:State:TimeToLive"] = "never: the index state must outlive everything (the store writes no ttl; the container has TTL off)",
        ["ResultCache:Cosmos:ConnectionString"] = "secret, emulator only: Azure uses the endpoint and the managed identity",
        ["DocumentStatus:Cosmos:ConnectionString"] = "secret, emulator only: Azure uses the endpoint and the managed identity",
        ["DocumentStatus:Cosmos:TimeToLive"] = "none: a status lives as long as its blob (the store writes no ttl; the container has TTL off)",
        ["Chunking:MaxTokens"] = "application default",
        ["Chunking:OverlapTokens"] = "application default",
        ["Ingestion:MaxDocumentBytes"] = "application default",
        ["Ingestion:MaxExtractedCharacters"] = "application default",
        ["Ingestion:BatchDocuments"] = "application default",
        ["Query:MaxConcurrentEmbeddings"] = "application default: chosen by the encoder provider (32 concurrent requests to Azure OpenAI)",
        ["Query:EmbeddingQueueLength"] = "application default",
        ["Query:RetryAfter"] = "application default",
        ["Http:ClientPrincipal"] = "application default (Auto): the caller's groups are read exactly when App Service authentication is on",
    };

    /// <summary>Settings the template must never set: every connection string and every API key.</summary>
    public static IReadOnlySet<string> Secrets { get; } = KnownSettings
        .Where(s => s.EndsWith(":ConnectionString", StringComparison.Ordinal) || s.EndsWith(":ApiKey", StringComparison.Ordinal))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Settings the platform reads in Azure rather than the application's options: the Functions host (all
    /// identity-based, plus the AzureFunctionsJobHost__ overrides of host.json that cap the per-instance ingestion
    /// concurrency) and Azure.Identity (AZURE_CLIENT_ID selects the user-assigned identity for DefaultAzureCredential).
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
        "AzureFunctionsJobHost__extensions__blobs__maxDegreeOfParallelism",
        "AzureFunctionsJobHost__extensions__queues__batchSize",
        "AzureFunctionsJobHost__extensions__queues__newBatchThreshold",
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

    public static string FromEnvironmentName(string name) => name.Replace("__", ":", StringComparison.Ordinal);

    public static IReadOnlySet<string> KnownEnvironmentNames { get; } =
        KnownSettings.Select(ToEnvironmentName).ToHashSet(StringComparer.Ordinal);

    /// <summary>The keys of local.settings.sample.json's Values, as written there ('__' form).</summary>
    public static IReadOnlyList<string> LocalSampleKeys() =>
        JsonNode.Parse(Repository.ReadText("local.settings.sample.json"))?["Values"]?.AsObject().Select(p => p.Key).ToArray()
        ?? throw new InvalidOperationException("local.settings.sample.json has no Values object");

    private static HashSet<string> LoadKnownSettings() =>
        LocalSampleKeys()
            .Where(key => !LocalHostSettings.Contains(key))
            .Select(FromEnvironmentName)
            .ToHashSet(StringComparer.Ordinal);
}
