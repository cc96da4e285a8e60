namespace SemanticSearch.Ingestion;

/// <summary>Where each document's last ingestion outcome is kept (SQLite in the data folder; shared storage in Azure).</summary>
public interface IDocumentStatusStore
{
    string Name { get; }

    Task<DocumentStatus?> GetAsync(string documentId, CancellationToken cancellationToken);

    Task<IReadOnlyList<DocumentStatus>> ListAsync(CancellationToken cancellationToken);

    Task SetAsync(DocumentStatus status, CancellationToken cancellationToken);

    Task RemoveAsync(string documentId, CancellationToken cancellationToken);
}
