using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SemanticSearch.Infra.Tests;

/// <summary>The hosting, the role assignments and the azd wiring (parameters file, azure.yaml, postdeploy hook).</summary>
[Collection(CompiledTemplateGroup.Name)]
public sealed partial class DeploymentTests(CompiledTemplateFixture compiled)
{
    private static readonly IReadOnlyDictionary<string, string> LeastPrivilegeRoles = new Dictionary<string, string>
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
        ["ba92f5b4-2d11-453d-a403-e96b0029c9fe"] = "Storage Blob Data Contributor",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
        ["c6a89b2d-59bc-44d0-9896-0f6e12d7b80a"] = "Storage Queue Data Message Sender",
        ["8ebe5a00-799e-43f5-93ac-243d3dce84a7"] = "Search Index Data Contributor",
        ["7ca78c08-252a-4471-8644-bb5ff32d4ba0"] = "Search Service Contributor",
        ["5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"] = "Cognitive Services OpenAI User",
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher",
        ["73c42c96-874c-492b-b04d-ab87d138a893"] = "Log Analytics Reader",
    };

    private ArmTemplate Template => compiled.Template;

    [Fact]
    public void TemplateIsSubscriptionScopedAndCreatesItsResourceGroup()
    {
        Assert.EndsWith("subscriptionDeploymentTemplate.json#", (string?)Template.Root["$schema"], StringComparison.Ordinal);
        Assert.Single(Template.OfType("Microsoft.Resources/resourceGroups"));
    }

    [Fact]
    public void FunctionAppIsDotnetIsolated10OnFlexConsumption()
    {
        var plan = Template.Single("Microsoft.Web/serverfarms");
        var site = Template.Single("Microsoft.Web/sites");
        var runtime = site.Properties["functionAppConfig"]!["runtime"]!;

        Assert.Equal("FC1", (string?)plan.Json["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan.Json["sku"]!["tier"]);
        Assert.True(plan.Properties["reserved"]!.GetValue<bool>());
        Assert.Equal("functionapp,linux", (string?)site.Json["kind"]);
        Assert.Equal("dotnet-isolated", (string?)runtime["name"]);
        Assert.Equal("10.0", site.ResolveString(runtime["version"]));
        Assert.Equal("blobContainer", (string?)site.Properties["functionAppConfig"]!["deployment"]!["storage"]!["type"]);
    }

    [Fact]
    public void RoleAssignmentsUseOnlyTheLeastPrivilegeDataRoles()
    {
        var roleIds = RoleGuid().Matches(Template.Text).Select(m => m.Value.ToLowerInvariant()).ToHashSet();
        roleIds.Remove("00000000-0000-0000-0000-000000000002");

        Assert.True(LeastPrivilegeRoles.Keys.ToHashSet().SetEquals(roleIds),
            $"expected exactly {string.Join(", ", LeastPrivilegeRoles.Values)}; the template uses {string.Join(", ", roleIds)}");
        Assert.All(Template.OfType("Microsoft.Authorization/roleAssignments"),
            assignment => Assert.NotNull(assignment.Properties["principalType"]));
    }

    [Fact]
    public void AppIdentityGetsTheHostStorageRoles()
    {
        // The assignments mix in the identity's principal id (a module output), so Bicep inlines them as one
        // expression: read the roles given to the service principal (the app's identity) out of it.
        var expression = (string)Template.Module("documentsStorage").ModuleParameters!["roleAssignments"]!["value"]!;
        var roles = Template.Root["variables"]!["roles"]!.AsObject();
        var granted = ServicePrincipalRole().Matches(expression)
            .Select(m => LeastPrivilegeRoles[(string)roles[m.Groups["role"].Value]!])
            .ToHashSet();

        Assert.Equal(
            new HashSet<string> { "Storage Blob Data Owner", "Storage Queue Data Contributor", "Storage Table Data Contributor" },
            granted);
    }

    [Fact]
    public void CosmosGrantsTheBuiltInDataContributorOnTheDatabase()
    {
        var assignment = Template.Single("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments");
        var definition = Assert.Single(Template.Resources, r => r.Type == "Microsoft.DocumentDB/databaseAccounts/sqlRoleDefinitions");

        Assert.True(definition.IsExisting);
        Assert.Contains("00000000-0000-0000-0000-000000000002", Template.Text, StringComparison.Ordinal);
        Assert.Contains("/dbs/", (string?)assignment.Properties["scope"], StringComparison.Ordinal);
    }

    [Fact]
    public void EventGridTopicMaySendOnlyToTheDeletedEventsQueue()
    {
        // The topic's other role, on the dead-letter container, is checked in EventDeliveryTests.
        var assignment = Assert.Single(
            Template.OfType("Microsoft.Authorization/roleAssignments"),
            r => r.Scope.Symbol == "eventGrid" && r.RoleDefinitionGuid() == "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a");
        var subscription = Template.Single("Microsoft.EventGrid/systemTopics/eventSubscriptions");

        Assert.Contains("queueServices/queues", (string?)assignment.Json["scope"], StringComparison.Ordinal);
        Assert.Contains("topicQueueSender", subscription.Json["dependsOn"]!.AsArray().Select(d => (string?)d));
    }

    [Fact]
    public void ParametersFileCoversEveryRequiredParameterWithAzdVariables()
    {
        var file = JsonNode.Parse(Repository.ReadText("infra", "main.parameters.json"))!["parameters"]!.AsObject();
        var declared = Template.Root["parameters"]!.AsObject();

        Assert.All(file, entry => Assert.True(declared.ContainsKey(entry.Key), $"{entry.Key} is not a parameter of main.bicep"));
        Assert.All(
            declared.Where(p => p.Value!["defaultValue"] is null),
            required => Assert.True(file.ContainsKey(required.Key), $"main.parameters.json does not set {required.Key}"));
        Assert.Equal("${AZURE_ENV_NAME}", (string?)file["environmentName"]!["value"]);
        Assert.Equal("${AZURE_LOCATION}", (string?)file["location"]!["value"]);
        Assert.Equal("${AZURE_PRINCIPAL_ID}", (string?)file["principalId"]!["value"]);
    }

    [Fact]
    public void AzureYamlDeploysTheFunctionsProjectToTheTaggedApp()
    {
        var yaml = Repository.ReadText("azure.yaml");
        var serviceName = Template.Root["variables"]!["azdServiceName"]!.GetValue<string>();

        Assert.Matches($@"(?m)^  {serviceName}:\n    project: \./functions/SemanticSearch\.Functions\n    language: dotnet\n    host: function$", yaml.ReplaceLineEndings("\n"));
        Assert.Equal(serviceName, Template.ModuleInput("functionApp", "azdServiceName")?.GetValue<string>());
        Assert.Contains("azd-service-name", (string?)Template.Single("Microsoft.Web/sites").Json["tags"], StringComparison.Ordinal);
        foreach (Match run in HookScript().Matches(yaml))
        {
            Assert.True(File.Exists(Repository.PathOf(run.Groups["path"].Value.Split('/'))), $"{run.Groups["path"].Value} does not exist");
        }

        Assert.Equal(2, HookScript().Count(yaml));
    }

    [Fact]
    public void PostdeployHookReadsOnlyVariablesTheTemplateOutputs()
    {
        var outputs = Template.Root["outputs"]!.AsObject().Select(o => o.Key).ToHashSet();
        foreach (var script in new[] { "create-blob-created-subscription.sh", "create-blob-created-subscription.ps1" })
        {
            var text = Repository.ReadText("infra", "scripts", script);
            var required = RequiredVariable().Matches(text).Select(m => m.Groups["name"].Value).Distinct().ToArray();

            Assert.NotEmpty(required);
            Assert.All(required, name => Assert.Contains(name, outputs));
            Assert.Contains("runtime/webhooks/blobs?functionName=Host.Functions.", text, StringComparison.Ordinal);
            Assert.Contains("IngestBlobEventGrid", text, StringComparison.Ordinal);
            Assert.Contains("Microsoft.Storage.BlobCreated", text, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", RegexOptions.IgnoreCase)]
    private static partial Regex RoleGuid();

    [GeneratedRegex(@"'principalType', 'ServicePrincipal', 'roleDefinitionId', variables\('roles'\)\.(?<role>\w+)")]
    private static partial Regex ServicePrincipalRole();

    [GeneratedRegex(@"run: \./(?<path>infra/scripts/[^\s]+)")]
    private static partial Regex HookScript();

    [GeneratedRegex(@"(?:\$\{|')(?<name>(?:AZURE|DOCUMENTS)_[A-Z_]+)(?::\?|')")]
    private static partial Regex RequiredVariable();
}
