namespace SemanticSearch.Configuration;

public sealed class DocumentStatusOptions
{
    public DocumentStatusProvider Provider { get; set; } = DocumentStatusProvider.Sqlite;

    public CosmosContainerOptions Cosmos { get; set; } = new() { Container = "documents" };
}
