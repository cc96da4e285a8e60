namespace SemanticSearch.Ingestion;

/// <summary>One page of a status listing; <see cref="ContinuationToken"/> asks for the next one and is null on the last.</summary>
public sealed record DocumentStatusPage(IReadOnlyList<DocumentStatus> Statuses, string? ContinuationToken);
