namespace SemanticSearch.Local.Evaluation;

/// <summary>One line of a BEIR corpus.jsonl: a retrievable unit with its title and body.</summary>
public sealed record BeirDocument(string Id, string Title, string Text);
