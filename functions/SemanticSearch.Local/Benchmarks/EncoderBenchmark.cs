using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>
/// Raw encoder throughput (no embedding cache) at batch sizes 1, 8 and 32: texts per second for passages (chunks as the
/// chunker cuts them) and for queries. A batch is one call with that many texts, i.e. one ONNX session run.
/// </summary>
public sealed class EncoderBenchmark(IEmbeddingGenerator<string, Embedding<float>> encoder)
{
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
        return figures;
    }
}
