using System.Text.Json.Nodes;

namespace SemanticSearch.Infra.Tests;

/// <summary>
/// The embeddings deployment's tokens-per-minute budget and the app's scale-out are sized together (issue 14): a
/// deployment far below what the scale-out can ask for answers with sustained 429s, and blobs that keep failing end in
/// the poison queue. See "Throughput: TPM, instances and concurrency" in infra/README.md.
/// </summary>
[Collection(CompiledTemplateGroup.Name)]
public sealed class ThroughputTests(CompiledTemplateFixture compiled)
{
    /// <summary>Tokens of one chunk: at most 256 word pieces, about 200 cl100k tokens.</summary>
    private const int TokensPerChunk = 200;

    /// <summary>Inputs per embeddings request (the application's Encoder:BatchSize default).</summary>
    private const int ChunksPerRequest = 32;

    private ArmTemplate Template => compiled.Template;

    private int Capacity => DefaultOf("embeddingDeploymentCapacity");

    private int MaximumInstances => DefaultOf("functionMaximumInstanceCount");

    [Fact]
    public void EmbeddingDeployment_DefaultsToARealisticGlobalStandardCapacity()
    {
        var deployment = Template.Single("Microsoft.CognitiveServices/accounts/deployments");

        // GlobalStandard where offered; Standard (regional) stays allowed as the fallback.
        Assert.Equal("GlobalStandard", deployment.ResolveString(deployment.Json["sku"]!["name"]));
        var allowed = TemplateFacts.StringArray(Template.Root["parameters"]!["embeddingDeploymentSkuName"]!["allowedValues"]);
        Assert.Contains("Standard", allowed);
        Assert.Equal("${AZURE_OPENAI_EMBEDDING_SKU=GlobalStandard}", ParametersFileValue("embeddingDeploymentSkuName"));

        // 30K TPM was a trial size: 150K fits twice into a region's default text-embedding-3-small quota (350K),
        // so a second environment in the same subscription still deploys.
        Assert.Equal(150, Capacity);
        Assert.Equal(Capacity, deployment.Resolve(deployment.Json["sku"]!["capacity"])!.GetValue<int>());
    }

    [Fact]
    public void ScaleOut_IsCappedSoEveryInstanceGetsAWholeRequestPerMinute()
    {
        var site = Template.Single("Microsoft.Web/sites");
        var scale = site.Properties["functionAppConfig"]!["scaleAndConcurrency"]!;

        // 40 is the lowest maximum Flex Consumption accepts; 100 instances split 30K TPM into 300 tokens each.
        Assert.Equal(40, MaximumInstances);
        Assert.Equal(MaximumInstances, site.Resolve(scale["maximumInstanceCount"])!.GetValue<int>());

        // The quota-aware limiter gives each instance capacity × 1000 / maximum instances; at the defaults that is
        // at least half a default request (32 chunks × ~200 tokens) a minute, and the whole app still embeds
        // 750 chunks a minute.
        var perInstance = Capacity * 1000 / MaximumInstances;
        Assert.True(perInstance * 2 >= TokensPerChunk * ChunksPerRequest, $"{perInstance} tokens a minute per instance");
        Assert.Equal(
            "[div(mul(parameters('embeddingDeploymentCapacity'), 1000), parameters('functionMaximumInstanceCount'))]",
            (string?)Template.Root["variables"]!["embeddingTokensPerMinutePerInstance"]);
        Assert.Equal("[variables('embeddingTokensPerMinutePerInstance')]", (string?)Template.Root["outputs"]!["AZURE_OPENAI_EMBEDDING_TPM_PER_INSTANCE"]!["value"]);
    }

    [Fact]
    public void TheAppsTokensPerMinuteLimiter_GetsThePerInstanceShareAndRequestsFitInIt()
    {
        // The module receives exactly the variable the output reports, and sets the limiter's setting from it.
        Assert.Equal("[variables('embeddingTokensPerMinutePerInstance')]",
            (string?)Template.Module("functionApp").ModuleParameters!["embeddingTokensPerMinutePerInstance"]!["value"]);
        var settings = Template.AppSettings();
        Assert.Equal("[string(parameters('embeddingTokensPerMinutePerInstance'))]", (string?)settings["Encoder__AzureOpenAI__TokensPerMinute"]);
        // A request is well below a minute's share: a quarter of it (the service evaluates its limits over seconds),
        // never above the app's default of 8,192 nor below the app's minimum of 256.
        Assert.Equal("[string(max(256, min(8192, div(parameters('embeddingTokensPerMinutePerInstance'), 4))))]", (string?)settings["Encoder__AzureOpenAI__MaxTokensPerRequest"]);
        var share = Capacity * 1000 / MaximumInstances;
        Assert.Equal(3750, share);
        var perRequest = Math.Max(256, Math.Min(8192, share / 4));
        Assert.Equal(937, perRequest);
        Assert.True(perRequest * 4 <= share, "four requests a minute fit in the share");
        Assert.True(perRequest >= TokensPerChunk * 4, "a request still carries several chunks");
    }

    [Fact]
    public void PerInstanceIngestionConcurrency_IsSetByTheTemplate()
    {
        var concurrency = DefaultOf("ingestionConcurrencyPerInstance");
        var settings = Template.AppSettings();

        // host.json allows 4 blobs at once on every instance; the template lowers it to the parameter, for the
        // Event Grid blob trigger (blobs.maxDegreeOfParallelism) and the queue triggers (batchSize + newBatchThreshold).
        Assert.Equal(2, concurrency);
        Assert.Equal("[string(parameters('ingestionConcurrency'))]", (string?)settings["AzureFunctionsJobHost__extensions__blobs__maxDegreeOfParallelism"]);
        Assert.Contains("parameters('ingestionConcurrency')", (string?)settings["AzureFunctionsJobHost__extensions__queues__batchSize"], StringComparison.Ordinal);
        Assert.Contains("parameters('ingestionConcurrency')", (string?)settings["AzureFunctionsJobHost__extensions__queues__newBatchThreshold"], StringComparison.Ordinal);
        Assert.Equal(concurrency, Template.ModuleInput("functionApp", "ingestionConcurrency")!.GetValue<int>());
    }

    [Fact]
    public void HttpAlwaysReadyInstances_AreAParameterThatDefaultsToNone()
    {
        var site = Template.Single("Microsoft.Web/sites");
        var alwaysReady = (string?)site.Properties["functionAppConfig"]!["scaleAndConcurrency"]!["alwaysReady"];

        Assert.Equal(0, DefaultOf("httpAlwaysReadyInstanceCount"));
        Assert.Equal(0, Template.ModuleInput("functionApp", "httpAlwaysReadyInstanceCount")!.GetValue<int>());
        // Only the http group, and no entry at all when the count is 0.
        Assert.NotNull(alwaysReady);
        Assert.Contains("'http'", alwaysReady, StringComparison.Ordinal);
        Assert.Contains("parameters('httpAlwaysReadyInstanceCount')", alwaysReady, StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_ExplainsTheRelationBetweenTpmInstancesAndThroughput()
    {
        var readme = Repository.ReadText("infra", "README.md");

        Assert.Contains("## Throughput: TPM, instances and concurrency", readme, StringComparison.Ordinal);
        Assert.Contains("Encoder__AzureOpenAI__TokensPerMinute", readme, StringComparison.Ordinal);
        Assert.Contains("`httpAlwaysReadyInstanceCount`", readme, StringComparison.Ordinal);
        Assert.Contains("`ingestionConcurrencyPerInstance`", readme, StringComparison.Ordinal);
    }

    private int DefaultOf(string parameter) =>
        Template.Root["parameters"]![parameter]?["defaultValue"]?.GetValue<int>()
        ?? throw new Xunit.Sdk.XunitException($"main.bicep has no parameter {parameter} with a default");

    private static string? ParametersFileValue(string parameter) =>
        (string?)JsonNode.Parse(Repository.ReadText("infra", "main.parameters.json"))!["parameters"]![parameter]?["value"];
}
