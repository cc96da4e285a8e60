using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SemanticSearch.Infra.Tests;

/// <summary>
/// The template's app settings, the application's settings and local.settings.sample.json agree: nothing is set
/// that nobody reads, nothing the application reads is missing without a documented reason, and every setting
/// has a working local value in the sample.
/// </summary>
[Collection(CompiledTemplateGroup.Name)]
public sealed partial class SettingsContractTests(CompiledTemplateFixture compiled)
{
    private ArmTemplate Template => compiled.Template;

    private static JsonObject LocalSample =>
        JsonNode.Parse(Repository.ReadText("local.settings.sample.json"))!.AsObject();

    private static JsonObject LocalValues => LocalSample["Values"]!.AsObject();

    [Fact]
    public void TemplateSetsOnlySettingsSomebodyReads()
    {
        var unknown = Template.AppSettings().Keys
            .Where(name => !SettingsContract.KnownEnvironmentNames.Contains(name) && !SettingsContract.AzureHostSettings.Contains(name))
            .ToArray();

        Assert.True(unknown.Length == 0, $"the template sets settings nobody reads: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void TemplateSetsEveryApplicationSettingExceptTheDocumentedOptionalOnes()
    {
        var set = Template.AppSettings().Keys.ToHashSet(StringComparer.Ordinal);
        var missing = SettingsContract.KnownSettings
            .Where(setting => !SettingsContract.OptionalInAzure.ContainsKey(setting))
            .Where(setting => !set.Contains(SettingsContract.ToEnvironmentName(setting)))
            .ToArray();

        Assert.True(missing.Length == 0, $"the template does not set: {string.Join(", ", missing)}");
        Assert.All(SettingsContract.OptionalInAzure.Keys, optional => Assert.Contains(optional, SettingsContract.KnownSettings));
    }

    [Fact]
    public void SecretsAreEveryConnectionStringAndApiKeyAndAllOptional()
    {
        // Derived by name; pin the list so a renamed secret setting cannot silently drop out of the check.
        Assert.Equal(
            new HashSet<string>
            {
                "Encoder:AzureOpenAI:ApiKey",
                "EmbeddingCache:Cosmos:ConnectionString",
                "Index:AzureAISearch:ApiKey",
                "Index:AzureAISearch:State:ConnectionString",
                "ResultCache:Cosmos:ConnectionString",
                "DocumentStatus:Cosmos:ConnectionString",
            },
            SettingsContract.Secrets);
        Assert.All(SettingsContract.Secrets, secret => Assert.Contains(secret, SettingsContract.OptionalInAzure.Keys));
    }

    [Fact]
    public void TemplateSetsEveryHostSettingAndNoSecret()
    {
        var set = Template.AppSettings().Keys.ToHashSet(StringComparer.Ordinal);

        Assert.All(SettingsContract.AzureHostSettings, host => Assert.Contains(host, set));
        Assert.All(SettingsContract.Secrets, secret => Assert.DoesNotContain(SettingsContract.ToEnvironmentName(secret), set));
    }

    [Fact]
    public void OptionalSettingsAreDocumentedInTheInfraReadme()
    {
        var readme = Repository.ReadText("infra", "README.md");

        Assert.All(SettingsContract.OptionalInAzure.Keys, optional => Assert.Contains($"`{optional}`", readme, StringComparison.Ordinal));
    }

    [Fact]
    public void TemplateSelectsTheAzureBackendsAndTheEventGridIngestion()
    {
        Assert.Equal("AzureOpenAI", Template.AppSettingValue("Encoder__Provider"));
        Assert.Equal("Cosmos", Template.AppSettingValue("EmbeddingCache__Provider"));
        Assert.Equal("AzureAISearch", Template.AppSettingValue("Index__Provider"));
        Assert.Equal("Cosmos", Template.AppSettingValue("ResultCache__Provider"));
        Assert.Equal("Cosmos", Template.AppSettingValue("DocumentStatus__Provider"));

        // Flex Consumption runs only the Event Grid blob trigger: the package azd publishes (Release) does not contain the
        // polling one at all (the Functions tests read its functions.metadata), so no setting switches it off; the
        // Event Grid one is on.
        Assert.DoesNotContain("AzureWebJobs.IngestBlob.Disabled", Template.AppSettings().Keys);
        Assert.DoesNotContain("AzureWebJobs.IngestBlobEventGrid.Disabled", Template.AppSettings().Keys);

        // The data-plane role cannot create databases or containers: the template creates them, the app must not try.
        Assert.Equal("false", Template.AppSettingValue("EmbeddingCache__Cosmos__CreateIfMissing"));
        Assert.Equal("false", Template.AppSettingValue("ResultCache__Cosmos__CreateIfMissing"));
        Assert.Equal("false", Template.AppSettingValue("DocumentStatus__Cosmos__CreateIfMissing"));
        Assert.Equal("false", Template.AppSettingValue("Index__AzureAISearch__State__CreateIfMissing"));
        Assert.Equal("00:05:00", Template.AppSettingValue("ResultCache__Ttl"));
        Assert.Equal("1536", Template.ModuleInput("functionApp", "embeddingDimensions")?.ToJsonString());
    }

    [Fact]
    public void TemplateNamesTheDeployedModelAndSchedulesReconcile()
    {
        // The model names the vectors in the index state and keys the embedding cache: it must be the model the
        // deployment runs, not the deployment's name (equal by default, not when someone renames the deployment).
        var model = Template.ModuleInput("openAi", "modelName")?.GetValue<string>();
        Assert.Equal("text-embedding-3-small", model);
        Assert.Equal(model, Template.AppSettingValue("Encoder__AzureOpenAI__Model"));

        // The host resolves %Reconcile:Schedule% in the timer trigger; without it Reconcile is in error.
        Assert.Equal("0 */15 * * * *", Template.AppSettingValue("Reconcile__Schedule"));
    }

    [Fact]
    public void AppSettingNamesAreValidOnLinuxAndFlex()
    {
        var names = Template.AppSettings().Keys.ToArray();

        // Linux app settings allow letters, digits, '_' and '.': no ':' (use '__'), no '-'.
        Assert.All(names, name => Assert.Matches(LinuxAppSettingName(), name));
        Assert.All(names, name => Assert.DoesNotContain(name, SettingsContract.FlexDeprecated));
    }

    [Fact]
    public void ResultsTimeToLiveIsATimeSpanMatchingTheContainer()
    {
        var settings = Template.AppSettingsResource();
        var expression = settings.Properties["ResultCache__Cosmos__TimeToLive"]!.GetValue<string>();
        var seconds = Template.ModuleInput("functionApp", "resultsTimeToLiveSeconds")!.GetValue<int>();

        Assert.Equal("[__bicep.timeSpan(parameters('resultsTimeToLiveSeconds'))]", expression);
        Assert.Equal(3600, seconds);
        var results = CosmosContainers().Single(c => (string?)c["name"] == Template.AppSettingValue("ResultCache__Cosmos__Container"));
        Assert.Equal(seconds, results["defaultTtl"]!.GetValue<int>());
    }

    [Fact]
    public void CosmosSettingsNameTheDatabaseAndContainersTheTemplateCreates()
    {
        var database = Template.ModuleInput("cosmos", "databaseName")!.GetValue<string>();
        var containers = CosmosContainers().Select(c => (string?)c["name"]).ToHashSet();

        Assert.Equal("semantic-search", database);
        foreach (var prefix in new[] { "EmbeddingCache__Cosmos", "ResultCache__Cosmos", "DocumentStatus__Cosmos", "Index__AzureAISearch__State" })
        {
            Assert.Equal(database, Template.AppSettingValue($"{prefix}__Database"));
            Assert.Contains(Template.AppSettingValue($"{prefix}__Container"), containers);
        }

        Assert.Equal(new HashSet<string?> { "embeddings", "results", "documents", "index-state" }, containers);
        Assert.Equal("index-state", Template.AppSettingValue("Index__AzureAISearch__State__Container"));
        var partitionKey = Template.Single("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers")
            .Properties["resource"]!["partitionKey"]!["paths"]!.AsArray().Select(p => (string?)p);
        Assert.Equal(["/id"], partitionKey);
    }

    [Fact]
    public void CosmosContainersMatchHowTheStoresUseThem()
    {
        var containers = CosmosContainers().ToDictionary(c => (string)c["name"]!);
        static int? Ttl(JsonObject container) => container["defaultTtl"]?.GetValue<int>();
        static bool PointReadsOnly(JsonObject container) => container["pointReadsOnly"]!.GetValue<bool>();

        // Embedding cache: ReadMany and upserts by id; TTL on without a default so a configured per-item ttl applies.
        Assert.Equal(-1, Ttl(containers["embeddings"]));
        Assert.True(PointReadsOnly(containers["embeddings"]));
        // Result cache: point reads, upserts, patches; every item carries its own ttl, the default is the fallback.
        Assert.True(Ttl(containers["results"]) > 0);
        Assert.True(PointReadsOnly(containers["results"]));
        // Document status: listed whole with a query (the documents API, Reconcile), so the default indexing stays.
        Assert.Null(Ttl(containers["documents"]));
        Assert.False(PointReadsOnly(containers["documents"]));
        // Index state: one item per index, point reads and ETag-conditioned replaces; it must never expire.
        Assert.Null(Ttl(containers["index-state"]));
        Assert.True(PointReadsOnly(containers["index-state"]));
    }

    [Fact]
    public void DocumentsContainerAndTheDeletedEventsQueueExistAndAreWired()
    {
        var container = Template.AppSettingValue("Documents__Container");

        Assert.Equal("documents", container);
        Assert.Contains(container, TemplateFacts.StringArray(Template.ModuleInput("documentsStorage", "containers")));
        Assert.Contains("blob-deleted-events", TemplateFacts.StringArray(Template.ModuleInput("documentsStorage", "queues")));
        Assert.Equal("blob-deleted-events", Template.ModuleInput("eventGrid", "deletedEventsQueueName")?.GetValue<string>());
        Assert.Equal(container, Template.ModuleInput("eventGrid", "documentsContainerName")?.GetValue<string>());

        var subscription = Template.Single("Microsoft.EventGrid/systemTopics/eventSubscriptions");
        Assert.Equal(["Microsoft.Storage.BlobDeleted"], subscription.Properties["filter"]!["includedEventTypes"]!.AsArray().Select(t => (string?)t));
    }

    [Fact]
    public void LocalSampleHasTheShapeCoreToolsReads()
    {
        var sample = LocalSample;

        Assert.False(sample["IsEncrypted"]!.GetValue<bool>());
        Assert.IsType<JsonObject>(sample["Host"]);
        Assert.All(LocalValues, entry => Assert.True(
            entry.Value is JsonValue value && value.TryGetValue<string>(out _),
            $"{entry.Key}: Values must be strings"));
        Assert.All(LocalValues, entry => Assert.DoesNotContain(':', entry.Key));
    }

    [Fact]
    public void KnownSettingsAreTheSampleWithoutTheLocalHostSettings()
    {
        var keys = SettingsContract.LocalSampleKeys();

        // Every local-only name must really be in the sample: a renamed one would otherwise turn into an
        // application setting the template is asked to set.
        Assert.All(SettingsContract.LocalHostSettings, local => Assert.Contains(local, keys));
        Assert.Equal(keys.Count - SettingsContract.LocalHostSettings.Count, SettingsContract.KnownSettings.Count);
        Assert.True(SettingsContract.KnownSettings.Count > 40, $"only {SettingsContract.KnownSettings.Count} settings derived from the sample");
        Assert.All(
            new[] { "Documents:Container", "Reconcile:Schedule", "Encoder:AzureOpenAI:Model", "Index:AzureAISearch:State:Endpoint", "DocumentStatus:Cosmos:CreateIfMissing" },
            setting => Assert.Contains(setting, SettingsContract.KnownSettings));
        // Host-only Azure settings never come from the sample: they are not the application's.
        Assert.Empty(SettingsContract.KnownEnvironmentNames.Intersect(SettingsContract.AzureHostSettings));
    }

    [Fact]
    public void LocalSampleRunsOnAzuriteWithTheEmbeddedBackends()
    {
        var values = LocalValues;

        Assert.Equal("UseDevelopmentStorage=true", (string?)values["AzureWebJobsStorage"]);
        Assert.Equal("dotnet-isolated", (string?)values["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("true", (string?)values["AzureWebJobs.IngestBlobEventGrid.Disabled"]);
        Assert.Equal("false", (string?)values["AzureWebJobs.IngestBlob.Disabled"]);
        Assert.Equal("Onnx", (string?)values["Encoder__Provider"]);
        Assert.Equal("Sqlite", (string?)values["EmbeddingCache__Provider"]);
        Assert.Equal("Embedded", (string?)values["Index__Provider"]);
        Assert.Equal("Memory", (string?)values["ResultCache__Provider"]);
        Assert.Equal("Sqlite", (string?)values["DocumentStatus__Provider"]);
        Assert.Equal("documents", (string?)values["Documents__Container"]);
        Assert.All(SettingsContract.Secrets, secret => Assert.Equal(string.Empty, (string?)values[SettingsContract.ToEnvironmentName(secret)]));
    }

    private JsonObject[] CosmosContainers() =>
        Template.ModuleInput("cosmos", "containers")!.AsArray().Select(c => c!.AsObject()).ToArray();

    [GeneratedRegex(@"^[A-Za-z0-9_.]+$")]
    private static partial Regex LinuxAppSettingName();
}
