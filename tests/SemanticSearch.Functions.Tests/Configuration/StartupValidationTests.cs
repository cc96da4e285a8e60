using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SemanticSearch.Functions.Hosting;

namespace SemanticSearch.Functions.Tests.Configuration;

/// <summary>A misconfigured Functions app fails when the worker starts, naming the setting, not on its first trigger.</summary>
public sealed class StartupValidationTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        ["Documents:Container"] = "documents",
        ["Reconcile:Schedule"] = "0 */15 * * * *",
    };

    [Theory]
    [InlineData("Chunking:MaxTokens", "5", "Chunking:MaxTokens")]
    [InlineData("Documents:Container", "Not_A_Container", "Documents:Container")]
    [InlineData("Encoder:Provider", "AzureOpenAI", "Encoder:AzureOpenAI:Endpoint")]
    [InlineData("ResultCache:Ttl", "-00:01:00", "ResultCache:Ttl")]
    public async Task AnInvalidOptionStopsTheWorkerAtStartNamingTheSetting(string key, string value, string named)
    {
        using var data = new TempDirectory();
        var settings = new Dictionary<string, string?>(Valid) { ["Data:Path"] = data.Path, [key] = value };

        using var host = Build(settings);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Documents:Container", "Documents__Container")]
    [InlineData("AzureWebJobsStorage", "AzureWebJobsStorage")]
    public async Task AMissingHostSettingStopsTheWorkerAtStartNamingTheAppSetting(string key, string named)
    {
        using var data = new TempDirectory();
        var settings = new Dictionary<string, string?>(Valid) { ["Data:Path"] = data.Path };
        settings.Remove(key);

        using var host = Build(settings);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingReconcileScheduleIsOnlyAWarning()
    {
        var settings = new Dictionary<string, string?>(Valid);
        settings.Remove("Reconcile:Schedule");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        Assert.Empty(FunctionsSettings.Validate(configuration));
        Assert.Contains("Reconcile__Schedule", Assert.Single(FunctionsSettings.Warnings(configuration)), StringComparison.Ordinal);
    }

    [Fact]
    public void AnIdentityBasedStorageConnectionIsAcceptedAndBuildsAClientForTheAccount()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(Valid)
        {
            ["AzureWebJobsStorage"] = null,
            ["AzureWebJobsStorage:accountName"] = "stsearch",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
        }).Build();

        Assert.Empty(FunctionsSettings.Validate(configuration));
        var client = StorageAccount.CreateBlobServiceClient(configuration, "AzureWebJobsStorage");
        Assert.Equal(new Uri("https://stsearch.blob.core.windows.net/"), client.Uri);
        Assert.Equal("stsearch", client.AccountName);
    }

    [Fact]
    public void ABlobServiceUriWinsOverTheAccountName()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage:blobServiceUri"] = "https://stother.blob.core.windows.net",
            ["AzureWebJobsStorage:accountName"] = "stsearch",
        }).Build();

        Assert.Equal("stother", StorageAccount.CreateBlobServiceClient(configuration, "AzureWebJobsStorage").AccountName);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSemanticSearchFunctions(builder.Configuration);
        return builder.Build();
    }
}
