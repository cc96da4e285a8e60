using System.Text.RegularExpressions;

namespace SemanticSearch.Infra.Tests;

/// <summary>
/// Nothing in the deployment creates, reads or hands out a key: no list*() call, no key material in any app
/// setting, and every service that can turn key authentication off has it off.
/// </summary>
[Collection(CompiledTemplateGroup.Name)]
public sealed partial class KeylessTests(CompiledTemplateFixture compiled)
{
    private ArmTemplate Template => compiled.Template;

    [Fact]
    public void TemplateCallsNoListFunction()
    {
        // listKeys, listConnectionStrings, listAccountSas, listServiceSas, listSecrets, list... all read secrets.
        var calls = ListCall().Matches(Template.Text).Select(m => m.Value).Distinct().ToArray();

        Assert.True(calls.Length == 0, $"the template calls {string.Join(", ", calls)}");
    }

    [Theory]
    [InlineData("AccountKey=")]
    [InlineData("SharedAccessKey")]
    [InlineData("SharedAccessSignature")]
    [InlineData("primaryKey")]
    [InlineData("secondaryKey")]
    [InlineData("primaryMasterKey")]
    [InlineData("secondaryMasterKey")]
    [InlineData("primaryConnectionString")]
    [InlineData("adminKey")]
    [InlineData("queryKey")]
    public void TemplateReferencesNoKeyMaterial(string keyMaterial) =>
        Assert.DoesNotContain(keyMaterial, Template.Text, StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void TemplateDeclaresNoSecureOutputOrParameter()
    {
        var secureTypes = new[] { "securestring", "secureobject" };
        foreach (var resource in Template.Resources.Where(r => r.Type == "Microsoft.Resources/deployments"))
        {
            Assert.DoesNotContain("\"securestring\"", resource.Json.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        }

        foreach (var section in new[] { "parameters", "outputs" })
        {
            foreach (var entry in Template.Root[section]?.AsObject() ?? [])
            {
                Assert.DoesNotContain((string?)entry.Value!["type"], secureTypes, StringComparer.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public void AppSettingsHoldNoKeyAndUseIdentityConnections()
    {
        var settings = Template.AppSettings();

        foreach (var (name, value) in settings)
        {
            var text = value?.ToJsonString() ?? string.Empty;
            Assert.DoesNotMatch(ListCall(), text);
            Assert.DoesNotContain("Key=", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("AccessKey", text, StringComparison.OrdinalIgnoreCase);
            Assert.False(name.EndsWith("ApiKey", StringComparison.OrdinalIgnoreCase), $"{name} is a key setting");
            Assert.False(name.Contains("__ConnectionString", StringComparison.OrdinalIgnoreCase), $"{name} is a connection string setting");
        }

        // AzureWebJobsStorage as a plain setting would be a connection string: the host must use the identity form.
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        Assert.Equal("managedidentity", Template.AppSettingValue("AzureWebJobsStorage__credential"));
        Assert.Contains("AzureWebJobsStorage__clientId", settings.Keys);

        // The only connection string is Application Insights', read from the component: an instrumentation key,
        // not a secret, and useless without an Entra ID token since the component's local auth is off.
        var appInsights = settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]!.GetValue<string>();
        Assert.Matches(@"^\[reference\('applicationInsights'[^)]*\)\.ConnectionString\]$", appInsights);
        Assert.StartsWith("[format('ClientId={0};Authorization=AAD'", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void StorageAccountsRefuseSharedKeysAndAnonymousReads()
    {
        var accounts = Template.OfType("Microsoft.Storage/storageAccounts");

        Assert.NotEmpty(accounts);
        Assert.All(accounts, account =>
        {
            Assert.False(account.Properties["allowSharedKeyAccess"]!.GetValue<bool>());
            Assert.False(account.Properties["allowBlobPublicAccess"]!.GetValue<bool>());
            Assert.True(account.Properties["defaultToOAuthAuthentication"]!.GetValue<bool>());
            Assert.Equal("TLS1_2", (string?)account.Properties["minimumTlsVersion"]);
        });
    }

    [Fact]
    public void CosmosRefusesKeys()
    {
        var account = Template.Single("Microsoft.DocumentDB/databaseAccounts");

        Assert.True(account.Properties["disableLocalAuth"]!.GetValue<bool>());
        Assert.True(account.Properties["disableKeyBasedMetadataWriteAccess"]!.GetValue<bool>());
    }

    [Fact]
    public void SearchRefusesApiKeys()
    {
        var search = Template.Single("Microsoft.Search/searchServices");

        Assert.True(search.Properties["disableLocalAuth"]!.GetValue<bool>());
        // The service rejects authOptions together with disableLocalAuth = true; RBAC is then the only mode.
        Assert.False(search.Properties.ContainsKey("authOptions"));
    }

    [Fact]
    public void OpenAIRefusesKeys()
    {
        var account = Template.Single("Microsoft.CognitiveServices/accounts");

        Assert.Equal("OpenAI", (string?)account.Json["kind"]);
        Assert.True(account.Properties["disableLocalAuth"]!.GetValue<bool>());
        // Entra ID tokens are accepted only on a custom subdomain endpoint.
        Assert.NotNull(account.Properties["customSubDomainName"]);
    }

    [Fact]
    public void MonitoringRefusesKeys()
    {
        var component = Template.Single("Microsoft.Insights/components");
        var workspace = Template.Single("Microsoft.OperationalInsights/workspaces");

        Assert.True(component.Properties["DisableLocalAuth"]!.GetValue<bool>());
        Assert.True(workspace.Properties["features"]!["disableLocalAuth"]!.GetValue<bool>());
    }

    [Fact]
    public void FunctionAppRunsAsItsIdentityWithoutPublishingPasswords()
    {
        var site = Template.Single("Microsoft.Web/sites");
        var deploymentStorage = site.Properties["functionAppConfig"]!["deployment"]!["storage"]!;

        Assert.Equal("UserAssigned", (string?)site.Json["identity"]!["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)deploymentStorage["authentication"]!["type"]);
        Assert.NotNull(deploymentStorage["authentication"]!["userAssignedIdentityResourceId"]);
        Assert.True(site.Properties["httpsOnly"]!.GetValue<bool>());

        var basicAuth = Template.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies");
        Assert.Equal(2, basicAuth.Count);
        Assert.All(basicAuth, policy => Assert.False(policy.Properties["allow"]!.GetValue<bool>()));
    }

    [Fact]
    public void EventGridDeliveriesUseTheTopicIdentityNotAKey()
    {
        var subscription = Template.Single("Microsoft.EventGrid/systemTopics/eventSubscriptions");
        var delivery = subscription.Properties["deliveryWithResourceIdentity"]!;

        Assert.Equal("SystemAssigned", (string?)delivery["identity"]!["type"]);
        Assert.Equal("StorageQueue", (string?)delivery["destination"]!["endpointType"]);
        Assert.False(subscription.Properties.ContainsKey("destination"), "a plain destination would not use the identity");
        // The webhook subscription needs the host's system key: the postdeploy hook creates it, not the template.
        Assert.DoesNotContain("runtime/webhooks", Template.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("SystemAssigned", (string?)Template.Single("Microsoft.EventGrid/systemTopics").Json["identity"]!["type"]);
    }

    [GeneratedRegex(@"\blist[A-Za-z]*\(", RegexOptions.IgnoreCase)]
    private static partial Regex ListCall();
}
