using System.Text.RegularExpressions;

namespace SemanticSearch.Infra.Tests;

/// <summary>
/// Azure Monitor alerts on what goes wrong on the first day (issue 14): messages landing in a poison queue, the
/// embeddings deployment answering 429, documents that fail to index; all sent to one action group.
/// </summary>
[Collection(CompiledTemplateGroup.Name)]
public sealed partial class AlertTests(CompiledTemplateFixture compiled)
{
    private const string LogAnalyticsReader = "73c42c96-874c-492b-b04d-ab87d138a893";

    private ArmTemplate Template => compiled.Template;

    [Fact]
    public void ActionGroup_MailsOnlyWhenAnAddressIsGiven()
    {
        var group = Template.Single("Microsoft.Insights/actionGroups");
        var receivers = (string?)group.Properties["emailReceivers"];

        Assert.Equal(string.Empty, Template.Root["parameters"]!["alertEmailAddress"]!["defaultValue"]!.GetValue<string>());
        Assert.Equal("${AZURE_ALERT_EMAIL}", (string?)System.Text.Json.Nodes.JsonNode.Parse(Repository.ReadText("infra", "main.parameters.json"))!["parameters"]!["alertEmailAddress"]!["value"]);
        Assert.NotNull(receivers);
        Assert.Contains("empty(parameters('emailAddress'))", receivers, StringComparison.Ordinal);
        Assert.True(((string?)group.Properties["groupShortName"])?.Length <= 12);
        Assert.Equal("global", (string?)group.Json["location"]);
    }

    [Fact]
    public void EveryAlert_NotifiesTheActionGroup()
    {
        var metric = Assert.Single(Template.OfType("Microsoft.Insights/metricAlerts"));
        var logs = Template.OfType("Microsoft.Insights/scheduledQueryRules");

        Assert.Equal(2, logs.Count);
        Assert.Contains("actionGroup", metric.Properties["actions"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.All(logs, rule => Assert.Contains("actionGroup", rule.Properties["actions"]!.ToJsonString(), StringComparison.Ordinal));
        Assert.All([metric, .. logs], rule => Assert.True(rule.Properties["enabled"]!.GetValue<bool>()));
    }

    [Fact]
    public void EmbeddingThrottling_IsAMetricAlertOn429sOfTheDeployment()
    {
        var alert = Assert.Single(Template.OfType("Microsoft.Insights/metricAlerts"));
        var criterion = Assert.Single(alert.Properties["criteria"]!["allOf"]!.AsArray())!;
        var dimensions = criterion["dimensions"]!.AsArray();

        Assert.Equal("Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria", (string?)alert.Properties["criteria"]!["odata.type"]);
        Assert.Equal("Microsoft.CognitiveServices/accounts", (string?)criterion["metricNamespace"]);
        Assert.Equal("AzureOpenAIRequests", (string?)criterion["metricName"]);
        Assert.Equal("Total", (string?)criterion["timeAggregation"]);
        Assert.Equal("GreaterThan", (string?)criterion["operator"]);
        var statusCode = Assert.Single(dimensions, d => (string?)d!["name"] == "StatusCode")!;
        Assert.Equal(["429"], statusCode["values"]!.AsArray().Select(v => (string?)v));
        Assert.Contains(dimensions, d => (string?)d!["name"] == "ModelDeploymentName");
        Assert.Contains("Microsoft.CognitiveServices/accounts", (string?)alert.Properties["scopes"]!.AsArray()[0], StringComparison.Ordinal);
        Assert.Equal(10, Template.Root["parameters"]!["embeddingThrottlingAlertThreshold"]!["defaultValue"]!.GetValue<int>());
    }

    [Fact]
    public void PoisonQueues_AreWatchedThroughTheQueueServiceResourceLogs()
    {
        var names = TemplateFacts.StringArray(Template.ModuleInput("alerts", "poisonQueueNames"));
        var queues = TemplateFacts.StringArray(Template.ModuleInput("documentsStorage", "queues"));
        var rule = Rule("poisonQueueAlert");
        var query = (string?)rule.Properties["criteria"]!["allOf"]![0]!["query"];

        // The blob trigger's poison queue, and "<queue>-poison" of every queue trigger (blob-deleted-events, reconcile-work).
        Assert.Equal(["webjobs-blobtrigger-poison", "blob-deleted-events-poison", "reconcile-work-poison"], names);
        Assert.All(queues, queue => Assert.Contains($"{queue}-poison", names));
        Assert.NotNull(query);
        Assert.Contains("StorageQueueLogs", query, StringComparison.Ordinal);
        Assert.Contains("PutMessage", query, StringComparison.Ordinal);
        Assert.Contains("variables('poisonQueueList')", query, StringComparison.Ordinal);
        Assert.Contains("parameters('poisonQueueNames')", AlertsVariable("poisonQueueList"), StringComparison.Ordinal);

        // StorageQueueLogs exist only with a diagnostic setting on the documents account's queue service.
        var diagnostics = Template.Single("Microsoft.Insights/diagnosticSettings");
        Assert.Contains("queueServices", (string?)diagnostics.Json["scope"], StringComparison.Ordinal);
        Assert.Contains(diagnostics.Properties["logs"]!.AsArray(), log => (string?)log!["category"] == "StorageWrite" && log["enabled"]!.GetValue<bool>());
        Assert.NotNull(diagnostics.Properties["workspaceId"]);
    }

    [Fact]
    public void FailedDocuments_AreFoundByTheApplicationsOwnLogMessages()
    {
        var fragments = TemplateFacts.StringArray(Template.ModuleInput("alerts", "failedDocumentMessages"));
        var templates = LoggerMessageTemplates();
        var query = (string?)Rule("failedDocumentsAlert").Properties["criteria"]!["allOf"]![0]!["query"];

        Assert.NotEmpty(fragments);
        Assert.All(fragments, fragment =>
        {
            Assert.DoesNotContain('{', fragment);
            Assert.True(templates.Any(t => t.Contains(fragment, StringComparison.Ordinal)),
                $"no [LoggerMessage] in functions/ says \"{fragment}\" any more: update the alert with the message");
        });
        // The permanent failure (the blob cannot be indexed) and the transient one (ingestion failed, retried).
        Assert.Contains(fragments, f => templates.Any(t => t.StartsWith("Blob {Container}/{BlobName} cannot be indexed", StringComparison.Ordinal) && t.Contains(f, StringComparison.Ordinal)));
        Assert.Contains(fragments, f => templates.Any(t => t.StartsWith("Ingesting {DocumentId} failed", StringComparison.Ordinal) && t.Contains(f, StringComparison.Ordinal)));
        Assert.NotNull(query);
        Assert.Contains("AppTraces", query, StringComparison.Ordinal);
        Assert.Contains("AppExceptions", query, StringComparison.Ordinal);
        Assert.Contains("variables('failedDocumentCondition')", query, StringComparison.Ordinal);
        Assert.Contains("parameters('failedDocumentMessages')", AlertsVariable("failedDocumentCondition"), StringComparison.Ordinal);
    }

    [Fact]
    public void LogAlerts_QueryWithTheirOwnIdentity_AllowedOnlyToReadTheWorkspace()
    {
        var rules = Template.OfType("Microsoft.Insights/scheduledQueryRules");
        var readers = Template.OfType("Microsoft.Authorization/roleAssignments")
            .Where(r => r.RoleDefinitionGuid() == LogAnalyticsReader)
            .ToArray();

        Assert.Equal(2, rules.Count);
        Assert.All(rules, rule =>
        {
            Assert.Equal("SystemAssigned", (string?)rule.Json["identity"]!["type"]);
            Assert.Equal("LogAlert", (string?)rule.Json["kind"]);
            Assert.Contains("Microsoft.OperationalInsights/workspaces", (string?)rule.Properties["scopes"]!.AsArray()[0], StringComparison.Ordinal);
        });
        Assert.Equal(rules.Count, readers.Length);
        Assert.All(readers, reader => Assert.Contains("Microsoft.OperationalInsights/workspaces", (string?)reader.Json["scope"], StringComparison.Ordinal));
    }

    private string AlertsVariable(string name) =>
        (string?)Template.Module("alerts").Template["variables"]?[name] ?? throw new Xunit.Sdk.XunitException($"the alerts module has no variable {name}");

    private ArmResource Rule(string symbol) =>
        Assert.Single(Template.OfType("Microsoft.Insights/scheduledQueryRules"), r => r.Symbol == symbol);

    /// <summary>The Message of every [LoggerMessage] under functions/.</summary>
    private static string[] LoggerMessageTemplates() =>
        Directory.EnumerateFiles(Repository.PathOf("functions"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(path => LoggerMessage().Matches(File.ReadAllText(path)).Select(m => m.Groups["message"].Value))
            .ToArray();

    [GeneratedRegex(@"\[LoggerMessage\([^\]]*?Message\s*=\s*""(?<message>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LoggerMessage();
}
