using System.Diagnostics;
using Xunit.Abstractions;

namespace SemanticSearch.Tests.Embeddings;

/// <summary>
/// Prints the bundled encoder's speed on this machine (run with <c>--logger "console;verbosity=detailed"</c>). Nothing is
/// asserted: the figures depend on the machine, and they are for sizing batches and instances, not for gating a build.
/// </summary>
[Collection(SharedEncoder.Name)]
[Trait("Category", "Measurement")]
public sealed class EncoderThroughputMeasurement(EncoderFixture encoder, ITestOutputHelper output)
{
    private static readonly string[] Sentences =
    [
        "Serverless functions scale out when events arrive and back to zero when they stop.",
        "The index stores each chunk's vector next to its text so hybrid search can rank by both.",
        "Mitochondrial dysfunction has been linked to several neurodegenerative diseases in older patients.",
        "A blob trigger fires once for every document uploaded to the container.",
        "Reciprocal rank fusion combines keyword and vector rankings without tuning weights.",
        "The randomized trial enrolled 412 participants across eleven hospitals over three years.",
        "Caching embeddings by a hash of the normalized text avoids paying twice for the same passage.",
        "Sentence transformers map a whole passage to one point in a space where distance follows meaning.",
        "Gene expression in the treated group differed significantly from the control group at six weeks.",
        "When a document is edited, only the chunks whose text changed need new vectors.",
        "Cold starts matter less when the model loads once per instance and stays in memory.",
        "The authors report a modest but consistent reduction in systolic blood pressure.",
    ];

    [Fact]
    public async Task PassagesAndQueriesPerSecond()
    {
        var generator = encoder.Generator;
        var tokenizer = encoder.Tokenizer;
        string[] passages = [.. Enumerable.Range(0, 128).Select(Passage)];
        double meanTokens = passages.Average(tokenizer.CountTokens);
        string[] queries = [.. Enumerable.Range(0, 200).Select(i => $"{Sentences[i % Sentences.Length].Split(' ')[..6].Aggregate((a, b) => $"{a} {b}")} {i}")];

        await generator.GenerateAsync(passages[..32]);

        // Best and median of three rounds: other processes on a small machine slow some rounds down a lot.
        var passageRates = new double[3];
        for (int round = 0; round < passageRates.Length; round++)
        {
            long start = Stopwatch.GetTimestamp();
            await generator.GenerateAsync(passages);
            passageRates[round] = passages.Length / Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        var latencies = new double[queries.Length];
        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < queries.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await generator.GenerateAsync([queries[i]]);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        double queriesPerSecond = queries.Length / stopwatch.Elapsed.TotalSeconds;
        Array.Sort(latencies);

        stopwatch.Restart();
        await generator.GenerateAsync(queries);
        double batchedQueriesPerSecond = queries.Length / stopwatch.Elapsed.TotalSeconds;

        string[] countedSentences = [.. Enumerable.Range(0, 20_000).Select(i => Sentences[i % Sentences.Length])];
        stopwatch.Restart();
        long counted = 0;
        foreach (string sentence in countedSentences)
        {
            counted += tokenizer.CountTokens(sentence);
        }

        double sentencesCountedPerSecond = countedSentences.Length / stopwatch.Elapsed.TotalSeconds;

        output.WriteLine($"cores: {Environment.ProcessorCount}, batch size: 32");
        Array.Sort(passageRates);
        output.WriteLine($"passages (~{meanTokens:F0} word pieces): best {passageRates[^1]:F0}/s, median {passageRates[1]:F0}/s");
        output.WriteLine($"queries one at a time (~{queries.Average(tokenizer.CountTokens):F0} word pieces): {queriesPerSecond:F0}/s, " +
                         $"p50 {latencies[latencies.Length / 2]:F1} ms, p95 {latencies[latencies.Length * 95 / 100]:F1} ms");
        output.WriteLine($"queries batched: {batchedQueriesPerSecond:F0}/s");
        output.WriteLine($"token counting: {sentencesCountedPerSecond:F0} sentences/s ({counted} pieces)");
    }

    /// <summary>A few sentences, rotated so passages differ, adding up to about 70 word pieces.</summary>
    private static string Passage(int index) =>
        $"Passage {index}. " + string.Join(' ', Enumerable.Range(0, 4).Select(k => Sentences[(index + k * 5) % Sentences.Length]));
}
