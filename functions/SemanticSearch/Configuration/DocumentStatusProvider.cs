namespace SemanticSearch.Configuration;

/// <summary>Where each document's last ingestion outcome is kept (setting <c>DocumentStatus:Provider</c>).</summary>
public enum DocumentStatusProvider
{
    /// <summary>A SQLite file in the data folder.</summary>
    Sqlite,

    /// <summary>A Cosmos DB container shared by every instance (needs the Azure backends).</summary>
    Cosmos,
}
