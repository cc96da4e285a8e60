namespace SemanticSearch.Ingestion;

public enum DocumentState
{
    Pending,
    Indexed,
    Failed,
}
