namespace SemanticSearch.Local.Commands;

/// <summary>What <c>bench --encoders</c> measures: the bundled models side by side, and the peers it drives.</summary>
/// <param name="Passages">Passages (chunks as the chunker cuts the corpus) every contestant embeds each round.</param>
/// <param name="Queries">Queries every contestant embeds alone, for the single-query latency.</param>
/// <param name="Rounds">Passes over the passages; each contestant's passages/s and ratio are the median over them.</param>
/// <param name="Batch">Texts per encoder run (Encoder:BatchSize for ours, the peer's batch).</param>
/// <param name="Peers">Commands that start a peer speaking the protocol of benchmarks/peer-transformersjs/bench.mjs.</param>
internal sealed record EncoderComparisonArguments(
    FileInfo Corpus,
    FileInfo QueryFile,
    int Passages,
    int Queries,
    int Rounds,
    int Batch,
    IReadOnlyList<string> Peers,
    DirectoryInfo? Work,
    FileInfo? Output)
{
    /// <summary>Texts handed to the contestants in turn: small enough that they see the same machine load, large enough to time.</summary>
    public const int TextsPerTurn = 16;

    public static EncoderComparisonArguments Quick(FileInfo corpus, FileInfo queries) =>
        new(corpus, queries, Passages: 16, Queries: 4, Rounds: 2, Batch: 8, [], null, null);

    public static EncoderComparisonArguments Full(FileInfo corpus, FileInfo queries) =>
        new(corpus, queries, Passages: 256, Queries: 100, Rounds: 5, Batch: 8, [], null, null);

    public string OutputPath => Output?.FullName ?? Path.GetFullPath("bench-encoders.json");

    /// <summary>The passages and queries, written for the peers (and for running a peer alone on the same texts).</summary>
    public string TextsPath => Path.ChangeExtension(OutputPath, ".texts.json");
}
