using Azure.Core;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SemanticSearch.AzureBackends.CosmosDB;
using SemanticSearch.AzureBackends.AzureOpenAI;
using SemanticSearch.AzureBackends.AzureAISearch;
using SemanticSearch.Configuration;
using SemanticSearch.Embeddings;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;

namespace SemanticSearch.AzureBackends.Tests;

/// <summary>The Azure settings: which backend each selects, and a fast failure naming the setting when one is wrong.</summary>
public sealed class AzureConfigurationTests
{
    private const string LocalCosmos = "AccountEndpoint=http://127.0.0.1:1/;AccountKey=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==;";

    private static Dictionary<string, string?> AllAzure() => new()
    {
        ["Encoder:Provider"] = "AzureOpenAI",
        ["Encoder:AzureOpenAI:Endpoint"] = "https://example.openai.azure.com/",
        ["Encoder:AzureOpenAI:Deployment"] = "embeddings",
        ["Encoder:AzureOpenAI:Model"] = "text-embedding-3-small",
        ["Encoder:AzureOpenAI:Dimensions"] = "512",
        ["Encoder:AzureOpenAI:ApiKey"] = "key",
        ["EmbeddingCache:Provider"] = "Cosmos",
        ["EmbeddingCache:Cosmos:ConnectionString"] = LocalCosmos,
        ["Index:Provider"] = "AzureAISearch",
        ["Index:AzureAISearch:Endpoint"] = "https://example.search.windows.net/",
        ["Index:AzureAISearch:IndexName"] = "chunks",
        ["Index:AzureAISearch:ApiKey"] = "key",
        ["Index:AzureAISearch:State:ConnectionString"] = LocalCosmos,
        ["ResultCache:Provider"] = "Cosmos",
        ["ResultCache:Cosmos:ConnectionString"] = LocalCosmos,
        ["DocumentStatus:Provider"] = "Cosmos",
        ["DocumentStatus:Cosmos:ConnectionString"] = LocalCosmos,
    };

    private static IReadOnlyList<string> Failures(Dictionary<string, string?> settings)
    {
        var options = new SemanticSearchOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().Bind(options);
        var result = new SemanticSearchOptionsValidator().Validate(null, options);
        return result.Failed ? [.. result.Failures] : [];
    }

    [Fact]
    public void EnvironmentVariablesWithDoubleUnderscoresSelectEveryAzureBackend()
    {
        var prefix = $"SSTEST_{Guid.NewGuid():N}_";
        try
        {
            foreach (var (key, value) in AllAzure())
            {
                Environment.SetEnvironmentVariable(prefix + key.Replace(":", "__", StringComparison.Ordinal), value);
            }
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();
            var services = new ServiceCollection().AddLogging().AddSemanticSearch(configuration).AddAzureBackends();
            services.AddSingleton<TokenCredential>(new UnusableCredential());
            using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

            var options = provider.GetRequiredService<IOptions<SemanticSearchOptions>>().Value;
            Assert.Equal(512, options.Encoder.AzureOpenAI.Dimensions);
            Assert.Equal("chunks", options.Index.AzureAISearch.IndexName);

            var encoder = provider.GetRequiredService<EmbeddingGeneratorMetadata>();
            Assert.Equal(("azure-openai", "text-embedding-3-small", 512), (encoder.ProviderName, encoder.DefaultModelId, encoder.DefaultModelDimensions));
            Assert.IsType<CosmosEmbeddingCacheStore>(provider.GetRequiredService<IEmbeddingCacheStore>());
            Assert.IsType<CosmosDocumentStatusStore>(provider.GetRequiredService<IDocumentStatusStore>());
            Assert.IsType<CosmosDistributedCache>(provider.GetRequiredService<IDistributedCache>());
            var index = Assert.IsType<AzureAISearchIndex>(provider.GetRequiredService<InitializingSearchIndex>().Inner);
            Assert.Equal("chunks", index.IndexName);
            Assert.IsType<BatchCachingEmbeddingGenerator>(provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        }
        finally
        {
            foreach (var key in AllAzure().Keys)
            {
                Environment.SetEnvironmentVariable(prefix + key.Replace(":", "__", StringComparison.Ordinal), null);
            }
        }
    }

    [Fact]
    public void TheDefaultsStayEmbeddedAndNeedNoAzureSetting()
    {
        Assert.Empty(Failures([]));
        var services = new ServiceCollection().AddLogging().AddSemanticSearch(new ConfigurationBuilder().Build()).AddAzureBackends();
        using var provider = services.BuildServiceProvider();
        Assert.Null(provider.GetService<IDistributedCache>());
    }

    [Fact]
    public void ACompleteAzureConfigurationIsValid() => Assert.Empty(Failures(AllAzure()));

    [Theory]
    [InlineData("Encoder:AzureOpenAI:Endpoint", "Encoder:AzureOpenAI:Endpoint is required when Encoder:Provider is AzureOpenAI")]
    [InlineData("Encoder:AzureOpenAI:Deployment", "Encoder:AzureOpenAI:Deployment is required when Encoder:Provider is AzureOpenAI")]
    [InlineData("Index:AzureAISearch:Endpoint", "Index:AzureAISearch:Endpoint is required when Index:Provider is AzureAISearch")]
    [InlineData("Index:AzureAISearch:State:ConnectionString", "Index:AzureAISearch:State:Endpoint (or Index:AzureAISearch:State:ConnectionString for a local emulator) is required when Index:Provider is AzureAISearch")]
    [InlineData("EmbeddingCache:Cosmos:ConnectionString", "EmbeddingCache:Cosmos:Endpoint (or EmbeddingCache:Cosmos:ConnectionString for a local emulator) is required when EmbeddingCache:Provider is Cosmos")]
    [InlineData("ResultCache:Cosmos:ConnectionString", "ResultCache:Cosmos:Endpoint (or ResultCache:Cosmos:ConnectionString for a local emulator) is required when ResultCache:Provider is Cosmos")]
    [InlineData("DocumentStatus:Cosmos:ConnectionString", "DocumentStatus:Cosmos:Endpoint (or DocumentStatus:Cosmos:ConnectionString for a local emulator) is required when DocumentStatus:Provider is Cosmos")]
    public void AMissingSettingIsNamed(string setting, string message)
    {
        var settings = AllAzure();
        settings.Remove(setting);
        Assert.Contains(message + ".", Failures(settings));
    }

    [Theory]
    [InlineData("text-embedding-3-small", "2000", "Encoder:AzureOpenAI:Dimensions (2000) exceeds the 1536 dimensions of text-embedding-3-small")]
    [InlineData("text-embedding-ada-002", "512", "Encoder:AzureOpenAI:Dimensions must be empty or 1536 for text-embedding-ada-002")]
    [InlineData("my-custom-model", null, "Encoder:AzureOpenAI:Dimensions is required when Encoder:AzureOpenAI:Model is 'my-custom-model'")]
    public void DimensionsMustFitTheModel(string model, string? dimensions, string message)
    {
        var settings = AllAzure();
        settings["Encoder:AzureOpenAI:Model"] = model;
        settings["Encoder:AzureOpenAI:Dimensions"] = dimensions;
        Assert.Contains(Failures(settings), f => f.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutAModelTheDeploymentNameIsTheModelAndMustBeKnownOrSized()
    {
        var settings = AllAzure();
        settings.Remove("Encoder:AzureOpenAI:Model");
        settings.Remove("Encoder:AzureOpenAI:Dimensions");
        Assert.Contains(Failures(settings), f => f.Contains("Encoder:AzureOpenAI:Deployment (used as the model name) is 'embeddings'", StringComparison.Ordinal));

        settings["Encoder:AzureOpenAI:Deployment"] = "text-embedding-3-large";
        Assert.Empty(Failures(settings));
        var options = new AzureOpenAIEncoderOptions { Deployment = "text-embedding-3-large" };
        Assert.Equal(("text-embedding-3-large", 3072), (AzureOpenAIEmbeddingGenerator.ModelOf(options), AzureOpenAIEmbeddingGenerator.DimensionsOf(options)));
    }

    [Theory]
    [InlineData("Chunks")]
    [InlineData("a--b")]
    [InlineData("-chunks")]
    [InlineData("c")]
    public void IndexNamesFollowTheServiceRules(string name)
    {
        var settings = AllAzure();
        settings["Index:AzureAISearch:IndexName"] = name;
        Assert.Contains(Failures(settings), f => f.StartsWith($"Index:AzureAISearch:IndexName '{name}' is not a valid index name", StringComparison.Ordinal));
    }

    [Fact]
    public void InconsistentCosmosSettingsAreNamed()
    {
        var settings = AllAzure();
        settings["EmbeddingCache:Cosmos:Endpoint"] = "https://account.documents.azure.com:443/";
        settings["ResultCache:Cosmos:ConnectionString"] = "not a connection string";
        settings["DocumentStatus:Cosmos:TimeToLive"] = "-00:00:01";
        var failures = Failures(settings);
        Assert.Contains("Set either EmbeddingCache:Cosmos:Endpoint or EmbeddingCache:Cosmos:ConnectionString, not both.", failures);
        Assert.Contains("ResultCache:Cosmos:ConnectionString must look like AccountEndpoint=https://host:port/;AccountKey=<base64>;", failures);
        Assert.Contains(failures, f => f.StartsWith("DocumentStatus:Cosmos:TimeToLive must be positive", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AHostWithABadAzureSettingFailsAtStartNamingIt()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var settings = AllAzure();
        settings.Remove("Encoder:AzureOpenAI:Endpoint");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSemanticSearch(builder.Configuration).AddAzureBackends();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Encoder:AzureOpenAI:Endpoint is required when Encoder:Provider is AzureOpenAI", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConnectionStringsMeanALocalStandInAndEndpointsMeanAzureWithTheCredential()
    {
        var local = CosmosClientFactory.CreateClientOptions(local: true);
        Assert.Equal(ConnectionMode.Gateway, local.ConnectionMode);
        Assert.True(local.LimitToEndpoint);
        Assert.Equal(CosmosClientFactory.MaxRateLimitRetries, local.MaxRetryAttemptsOnRateLimitedRequests);
        Assert.Equal(CosmosClientFactory.MaxRateLimitWait, local.MaxRetryWaitTimeOnRateLimitedRequests);
        Assert.NotNull(local.UseSystemTextJsonSerializerWithOptions);
        Assert.Equal(ConnectionMode.Direct, CosmosClientFactory.CreateClientOptions(local: false).ConnectionMode);
        // 503, 408 and broken connections are retried in the client's pipeline, in Azure as locally.
        foreach (var options in new[] { local, CosmosClientFactory.CreateClientOptions(local: false) })
        {
            var retry = Assert.IsType<TransientFailureRetryHandler>(Assert.Single(options.CustomHandlers));
            Assert.Equal((CosmosClientFactory.MaxTransientRetries, CosmosClientFactory.TransientRetryDelay), (retry.MaxRetries, retry.InitialDelay));
        }

        var asked = 0;
        using var factory = new CosmosClientFactory(() =>
        {
            asked++;
            return new UnusableCredential();
        });
        var azure = new CosmosContainerOptions { Endpoint = new Uri("https://account.documents.azure.com:443/"), Container = "c" };
        var client = factory.GetClient(azure);
        Assert.Same(client, factory.GetClient(new CosmosContainerOptions { Endpoint = azure.Endpoint, Container = "other" }));
        Assert.Equal(azure.Endpoint, client.Endpoint);
        Assert.Equal(1, asked);
        Assert.Equal("http://127.0.0.1:1/", CosmosClientFactory.DescribeAccount(new CosmosContainerOptions { ConnectionString = LocalCosmos }));
    }

    /// <summary>A credential that must never be asked for a token in these tests.</summary>
    private sealed class UnusableCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => throw new InvalidOperationException("No token in tests.");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => throw new InvalidOperationException("No token in tests.");
    }
}
