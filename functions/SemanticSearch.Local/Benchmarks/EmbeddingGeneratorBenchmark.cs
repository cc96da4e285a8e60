using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using SemanticSearch.Chunking;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>
/// Raw encoder throughput (no embedding cache) at batch sizes 1, 8 and 32: texts per second for passages (chunks as the
/// chunker cuts them) and for queries. A batch is one call with that many texts, i.e. one ONNX session run. Also the
/// latency of one query alone (what a result-cache miss waits for) and how fast the chunker's tokenizer counts.
/// </summary>
public sealed class EmbeddingGeneratorBenchmark(IEmbeddingGenerator<string, Embedding<float>> encoder, ITokenCounter tokens)
{
    /// <summary>Progress steps <see cref="RunAsync"/> reports: one per repeat of every batch size and kind, and of the two single figures.</summary>
    public static int Steps(int repeats) => (2 * BatchSizes.Count + 2) * repeats;

    public static readonly IReadOnlyList<int> BatchSizes = [1, 8, 32];

    public async Task<IReadOnlyList<BenchFigure>> RunAsync(IReadOnlyList<string> passages, IReadOnlyList<string> queries, int repeats, Action advance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(passages);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(advance);
        // The first run of a session allocates its buffers and kernels; nobody should pay that in a figure.
        await encoder.GenerateAsync(passages.Take(2), cancellationToken: cancellationToken).ConfigureAwait(false);

        var figures = new List<BenchFigure>();
        foreach (var (kind, texts) in new[] { ("passages", passages), ("queries", queries) })
        {
            foreach (var batch in BatchSizes)
            {
                var rates = new List<double>(repeats);
                for (var repeat = 0; repeat < repeats; repeat++)
                {
                    var started = Stopwatch.GetTimestamp();
                    foreach (var slice in texts.Chunk(batch))
                    {
                        await encoder.GenerateAsync(slice, cancellationToken: cancellationToken).ConfigureAwait(false);
                    }
                    rates.Add(texts.Count / Stopwatch.GetElapsedTime(started).TotalSeconds);
                    advance();
                }
                figures.Add(new BenchFigure("encoder", string.Create(CultureInfo.InvariantCulture, $"{kind}, batch {batch}"), $"{kind}/s", Summary.Of(rates)));
            }
        }

        var p50 = new List<double>(repeats);
        var p95 = new List<double>(repeats);
        var counted = new List<double>(repeats);
        for (var repeat = 0; repeat < repeats; repeat++)
        {
            var latencies = new List<double>(queries.Count);
            foreach (var query in queries)
            {
                var started = Stopwatch.GetTimestamp();
                await encoder.GenerateAsync([query], cancellationToken: cancellationToken).ConfigureAwait(false);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            p50.Add(Percentiles.Of(latencies, 50));
            p95.Add(Percentiles.Of(latencies, 95));
            advance();

            var counting = Stopwatch.GetTimestamp();
            foreach (var passage in passages)
            {
                tokens.CountTokens(passage);
            }
            counted.Add(passages.Count / Stopwatch.GetElapsedTime(counting).TotalSeconds);
            advance();
        }
        figures.Add(new BenchFigure("encoder", "one query alone, p50", "ms", Summary.Of(p50)));
        figures.Add(new BenchFigure("encoder", "one query alone, p95", "ms", Summary.Of(p95)));
        figures.Add(new BenchFigure("encoder", "word pieces counted (chunker)", "passages/s", Summary.Of(counted)));
        return figures;
    }
}
