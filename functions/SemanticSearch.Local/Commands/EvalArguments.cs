namespace SemanticSearch.Local.Commands;

/// <summary>What <c>eval</c> was asked to do, as parsed from its command line.</summary>
/// <param name="Modes">The search modes to score, in table order.</param>
/// <param name="Top">Documents ranked per query; also the cut-off k of every metric.</param>
/// <param name="Chunks">Chunks retrieved per query before collapsing to documents; null means <c>Top</c> × 5.</param>
/// <param name="Output">Where the JSON goes; null means eval-results.json in the data folder.</param>
/// <param name="PerQuery">Also write each query's nDCG, for paired comparisons between runs.</param>
/// <param name="SkipIngestion">Score the index as the data folder holds it (for trying ranking settings quickly).</param>
internal sealed record EvalArguments(
    FileInfo Corpus,
    FileInfo Queries,
    FileInfo Qrels,
    IReadOnlyList<Indexing.RetrievalMode> Modes,
    int Top,
    int? Chunks,
    DirectoryInfo Data,
    FileInfo? Output,
    bool SkipIngestion = false,
    bool PerQuery = false)
{
    public int ChunksPerQuery => Chunks ?? Top * 5;

    public string OutputPath => Output?.FullName ?? Path.Combine(Data.FullName, "eval-results.json");
}
