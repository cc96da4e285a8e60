namespace SemanticSearch.Infra.Tests;

/// <summary>
/// Both Event Grid subscriptions dead-letter what they cannot deliver into a blob container, with the system topic's
/// managed identity (issue 14): the BlobDeleted one in the template, the BlobCreated one in the postdeploy hook.
/// </summary>
[Collection(CompiledTemplateGroup.Name)]
public sealed class EventDeliveryTests(CompiledTemplateFixture compiled)
{
    private const string BlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string QueueMessageSender = "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a";

    private ArmTemplate Template => compiled.Template;

    private string DeadLetterContainer =>
        Template.ModuleInput("eventGrid", "deadLetterContainerName")?.GetValue<string>()
        ?? throw new Xunit.Sdk.XunitException("the eventGrid module has no deadLetterContainerName input");

    [Fact]
    public void DeadLetterContainer_IsCreatedApartFromTheDocuments()
    {
        var containers = TemplateFacts.StringArray(Template.ModuleInput("documentsStorage", "containers"));

        Assert.Equal("event-dead-letters", DeadLetterContainer);
        Assert.Contains(DeadLetterContainer, containers);
        Assert.NotEqual(Template.AppSettingValue("Documents__Container"), DeadLetterContainer);
    }

    [Fact]
    public void BlobDeletedSubscription_DeadLettersWithTheTopicIdentity()
    {
        var subscription = Template.Single("Microsoft.EventGrid/systemTopics/eventSubscriptions");
        var deadLetter = subscription.Properties["deadLetterWithResourceIdentity"];

        Assert.NotNull(deadLetter);
        Assert.Equal("SystemAssigned", (string?)deadLetter["identity"]!["type"]);
        Assert.Equal("StorageBlob", (string?)deadLetter["deadLetterDestination"]!["endpointType"]);
        Assert.Equal(DeadLetterContainer, subscription.ResolveString(deadLetter["deadLetterDestination"]!["properties"]!["blobContainerName"]));
        Assert.False(subscription.Properties.ContainsKey("deadLetterDestination"), "a plain dead-letter destination would not use the identity");
        Assert.Equal("SystemAssigned", (string?)subscription.Properties["deliveryWithResourceIdentity"]!["identity"]!["type"]);
        // Event Grid needs both rights before the subscription is created.
        var dependsOn = subscription.Json["dependsOn"]!.AsArray().Select(d => (string?)d).ToArray();
        Assert.Contains("topicQueueSender", dependsOn);
        Assert.Contains("topicDeadLetterWriter", dependsOn);
    }

    [Fact]
    public void TopicIdentity_MayWriteOnlyTheDeadLetterContainerAndSendOnlyToTheQueue()
    {
        var assignments = Template.OfType("Microsoft.Authorization/roleAssignments").Where(r => r.Scope.Symbol == "eventGrid").ToArray();

        Assert.Equal(2, assignments.Length);
        var writer = Assert.Single(assignments, a => a.RoleDefinitionGuid() == BlobDataContributor);
        var sender = Assert.Single(assignments, a => a.RoleDefinitionGuid() == QueueMessageSender);
        Assert.Contains("blobServices/containers", (string?)writer.Json["scope"], StringComparison.Ordinal);
        Assert.Contains("queueServices/queues", (string?)sender.Json["scope"], StringComparison.Ordinal);
        Assert.All(assignments, a => Assert.Equal("ServicePrincipal", (string?)a.Properties["principalType"]));
    }

    [Fact]
    public void BlobCreatedSubscription_InTheHook_DeadLettersWithTheTopicIdentity()
    {
        var output = Template.Root["outputs"]!["AZURE_EVENTGRID_DEAD_LETTER_CONTAINER_ID"];
        Assert.NotNull(output);

        var sh = Repository.ReadText("infra", "scripts", "create-blob-created-subscription.sh");
        Assert.Contains("AZURE_EVENTGRID_DEAD_LETTER_CONTAINER_ID", sh, StringComparison.Ordinal);
        Assert.Contains("--deadletter-identity systemassigned", sh, StringComparison.Ordinal);
        Assert.Contains("--deadletter-identity-endpoint \"$AZURE_EVENTGRID_DEAD_LETTER_CONTAINER_ID\"", sh, StringComparison.Ordinal);

        // The PowerShell twin PUTs the subscription itself: the same dead-letter block, same identity.
        var ps1 = Repository.ReadText("infra", "scripts", "create-blob-created-subscription.ps1");
        Assert.Contains("AZURE_EVENTGRID_DEAD_LETTER_CONTAINER_ID", ps1, StringComparison.Ordinal);
        Assert.Contains("deadLetterWithResourceIdentity", ps1, StringComparison.Ordinal);
        Assert.Contains("type = 'SystemAssigned'", ps1, StringComparison.Ordinal);
        Assert.Contains("endpointType = 'StorageBlob'", ps1, StringComparison.Ordinal);
    }

    [Fact]
    public void ReconcileWorkQueue_ExistsAndTheAppMayUseEveryQueueOfTheAccount()
    {
        var queues = TemplateFacts.StringArray(Template.ModuleInput("documentsStorage", "queues"));

        // Reconcile fans out one message per blob to reconcile-work; the app's Storage Queue Data Contributor on the
        // whole account (AppIdentity_GetsTheHostStorageRoles) covers it and its poison queue.
        Assert.Contains("reconcile-work", queues);
        Assert.Contains("blob-deleted-events", queues);
    }
}
