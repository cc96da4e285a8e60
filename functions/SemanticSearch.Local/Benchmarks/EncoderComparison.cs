using System.Text.Json.Serialization;
using SemanticSearch.Configuration;
using SemanticSearch.Local.Commands;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>One contestant's figures in <see cref="EncoderComparisonReport"/>.</summary>
/// <param name="PassagesPerSecond">Over the rounds: passages embedded per second (tokenization included).</param>
/// <param name="Ratio">Over the rounds: passages/s divided by the reference's in the same round.</param>
public sealed record EncoderContestantResult(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("passagesPerSecond")] Summary PassagesPerSecond,
    [property: JsonPropertyName("ratio")] Summary Ratio,
    [property: JsonPropertyName("queryP50Ms")] double QueryP50Milliseconds,
    [property: JsonPropertyName("sessionMs")] double SessionMilliseconds,
    [property: JsonPropertyName("modelMB")] double? ModelMegabytes);

/// <summary>What <c>bench --encoders</c> writes: every contestant measured interleaved on the same passages.</summary>
public sealed record EncoderComparisonReport(
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("machine")] MachineInfo Machine,
    [property: JsonPropertyName("cpuFlags")] string CpuFlags,
    [property: JsonPropertyName("loadAverageAtEnd")] string LoadAverageAtEnd,
    [property: JsonPropertyName("passages")] int Passages,
    [property: JsonPropertyName("meanTokens")] double MeanTokens,
    [property: JsonPropertyName("queries")] int Queries,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("rounds")] int Rounds,
    [property: JsonPropertyName("reference")] string Reference,
    [property: JsonPropertyName("contestants")] IReadOnlyList<EncoderContestantResult> Contestants,
    [property: JsonPropertyName("peerChecks")] IReadOnlyList<string> PeerChecks);

/// <summary>
/// The bundled models (fp32 and int8, intra-op spinning on and off) and any peers, embedding the same passages at the
/// same batch size. The machine this runs on is usually shared, so nothing is timed alone: the passages go out
/// <see cref="EncoderComparisonArguments.TextsPerTurn"/> at a time to each contestant in turn, the order rotating at
/// every turn and round, and each figure is a median over rounds. The ratio's reference is the first peer, or without
/// one the product as it was before int8 (fp32, spinning on).
/// </summary>
internal static class EncoderComparison
{
    public static readonly IReadOnlyList<(string Model, bool AllowSpinning)> BundledVariants =
    [
        (OnnxEncoderOptions.Fp32Model, true),
        (OnnxEncoderOptions.Fp32Model, false),
        (OnnxEncoderOptions.Int8Model, true),
        (OnnxEncoderOptions.Int8Model, false),
    ];

    public static async Task<EncoderComparisonReport> RunAsync(
        EncoderComparisonArguments arguments,
        IReadOnlyList<string> passages,
        IReadOnlyList<string> queries,
        MachineInfo machine,
        Action<string> log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(passages);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(log);

        var contestants = new List<IEncoderContestant>();
        var peerChecks = new List<string>();
        try
        {
            foreach (var (model, allowSpinning) in BundledVariants)
            {
                var bundled = new BundledEncoderContestant(model, allowSpinning, arguments.Batch, passages, queries);
                contestants.Add(bundled);
                await bundled.EmbedAsync(0, Math.Min(EncoderComparisonArguments.TextsPerTurn, passages.Count), cancellationToken).ConfigureAwait(false);
                log($"{bundled.Name}: session {bundled.SessionMilliseconds:F0} ms, model {bundled.ModelBytes / 1e6:F1} MB");
            }

            foreach (var command in arguments.Peers)
            {
                var peer = await PeerEncoderContestant.StartAsync(command, arguments.TextsPath, arguments.Batch, cancellationToken).ConfigureAwait(false);
                contestants.Add(peer);
                peerChecks.AddRange(peer.StartupLines);
                log($"{peer.Name}: session {peer.SessionMilliseconds:F0} ms; {string.Join(" | ", peer.StartupLines)}");
            }

            var tokenizer = ((BundledEncoderContestant)contestants[0]).Tokenizer;
            double meanTokens = passages.Average(p => tokenizer.EncodeForModel(p, Embedded.Onnx.OnnxEmbeddingGenerator.MaxSequenceLength).Length);
            int reference = arguments.Peers.Count > 0 ? BundledVariants.Count : 0;

            var rates = contestants.Select(_ => new List<double>()).ToArray();
            for (int round = 0; round < arguments.Rounds; round++)
            {
                var seconds = new double[contestants.Count];
                for (int start = 0, turn = 0; start < passages.Count; start += EncoderComparisonArguments.TextsPerTurn, turn++)
                {
                    int count = Math.Min(EncoderComparisonArguments.TextsPerTurn, passages.Count - start);
                    for (int k = 0; k < contestants.Count; k++)
                    {
                        int c = (k + turn + round) % contestants.Count;
                        seconds[c] += await contestants[c].EmbedAsync(start, count, cancellationToken).ConfigureAwait(false);
                    }
                }

                for (int c = 0; c < contestants.Count; c++)
                {
                    rates[c].Add(passages.Count / seconds[c]);
                }

                log($"round {round + 1}/{arguments.Rounds}: " + string.Join(", ", contestants.Select((x, c) => $"{x.Name} {rates[c][^1]:F1}/s")));
            }

            var latencies = contestants.Select(_ => new List<double>()).ToArray();
            for (int q = 0; q < queries.Count; q++)
            {
                for (int k = 0; k < contestants.Count; k++)
                {
                    int c = (k + q) % contestants.Count;
                    latencies[c].Add(await contestants[c].QueryAsync(q, cancellationToken).ConfigureAwait(false));
                }
            }

            var results = contestants.Select((contestant, c) => new EncoderContestantResult(
                contestant.Name,
                contestant.Kind,
                Summary.Of(rates[c]),
                Summary.Of(rates[c].Select((rate, round) => rate / rates[reference][round])),
                Percentiles.Of(latencies[c], 50),
                contestant.SessionMilliseconds,
                contestant.ModelBytes is { } bytes ? Math.Round(bytes / 1e6, 1) : null)).ToList();

            return new EncoderComparisonReport(
                DateTimeOffset.UtcNow, machine, MachineInfo.CpuFlags(), MachineInfo.LoadAverageNow(), passages.Count, Math.Round(meanTokens, 1),
                queries.Count, arguments.Batch, arguments.Rounds, contestants[reference].Name, results, peerChecks);
        }
        finally
        {
            foreach (var contestant in contestants)
            {
                contestant.Dispose();
            }
        }
    }
}
