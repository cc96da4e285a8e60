namespace SemanticSearch.Local.Commands;

/// <summary>What <c>bench</c> was asked to measure, and at which sizes.</summary>
/// <param name="Corpus">BEIR corpus.jsonl whose texts make the benchmark's documents and synthetic chunks.</param>
/// <param name="Queries">BEIR queries.jsonl whose texts are the benchmark's queries.</param>
/// <param name="Sizes">Index sizes, in chunks, at which search latency is measured.</param>
/// <param name="IngestDocuments">Documents ingested cold and warm.</param>
/// <param name="EditChunks">Chunks of the long document that is edited to measure embedding reuse.</param>
/// <param name="LatencyQueries">Distinct queries per latency measurement.</param>
/// <param name="EncoderTexts">Passages (and queries) encoded per throughput measurement.</param>
/// <param name="Work">Scratch folder; null means a new folder under the system temp folder, removed at the end.</param>
internal sealed record BenchArguments(
    FileInfo Corpus,
    FileInfo Queries,
    int Repeats,
    IReadOnlyList<int> Sizes,
    int IngestDocuments,
    int EditChunks,
    int LatencyQueries,
    int EncoderTexts,
    DirectoryInfo? Work,
    FileInfo? Output,
    FileInfo? Plot)
{
    public static readonly IReadOnlyList<int> DefaultSizes = [1_000, 10_000, 100_000];

    /// <summary>Small enough for CI to finish in about a minute: it proves the harness runs, not how fast anything is.</summary>
    public static BenchArguments Quick(FileInfo corpus, FileInfo queries) =>
        new(corpus, queries, Repeats: 2, Sizes: [200, 1_000], IngestDocuments: 10, EditChunks: 24, LatencyQueries: 5, EncoderTexts: 8, null, null, null);

    public static BenchArguments Full(FileInfo corpus, FileInfo queries) =>
        new(corpus, queries, Repeats: 3, DefaultSizes, IngestDocuments: 200, EditChunks: 250, LatencyQueries: 100, EncoderTexts: 64, null, null, null);

    public string OutputPath => Output?.FullName ?? Path.GetFullPath("bench-results.json");

    public string PlotPath => Plot?.FullName ?? Path.ChangeExtension(OutputPath, ".svg");
}
