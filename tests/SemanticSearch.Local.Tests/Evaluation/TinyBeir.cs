using SemanticSearch.Local.Evaluation;

namespace SemanticSearch.Local.Tests.Evaluation;

/// <summary>The tiny BEIR-format fixture (tests/fixtures/tiny-beir), copied next to the test assembly.</summary>
internal static class TinyBeir
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "fixtures", "tiny-beir");

    public static string Corpus => Path.Combine(Folder, "documents.jsonl");

    public static string Queries => Path.Combine(Folder, "claims.jsonl");

    public static string Qrels => Path.Combine(Folder, "judgements.tsv");

    public static BeirDataset Load() => BeirDataset.Load(Corpus, Queries, Qrels);
}
