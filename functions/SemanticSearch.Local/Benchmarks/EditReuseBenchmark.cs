using System.Diagnostics;
using System.Globalization;
using System.Text;
using SemanticSearch.Chunking;
using SemanticSearch.Extraction;
using SemanticSearch.Ingestion;
using SemanticSearch.Local.Evaluation;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>
/// The edit-stability claim in numbers: a long Markdown document (sections of paragraphs made from corpus sentences,
/// sized to about the requested number of chunks) is ingested, then each repeat edits one paragraph and ingests it
/// again. The reuse ratio is the share of the document's chunks whose embedding came from the cache.
/// </summary>
internal sealed class EditReuseBenchmark(BenchmarkCorpus corpus, string dataFolder)
{
    public const string Section = "edit reuse";
    private const string DocumentId = "edited/long-report.md";

    public async Task<IReadOnlyList<BenchFigure>> RunAsync(int targetChunks, int repeats, Action advance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(advance);
        BenchServices.Delete(dataFolder);
        await using var services = await BenchServices.BuildAsync(dataFolder, cancellationToken).ConfigureAwait(false);
        var ingestor = services.GetRequiredService<DocumentIngestor>();
        var paragraphs = Paragraphs(services.GetRequiredService<Chunker>(), targetChunks);

        var first = await IngestAsync(ingestor, paragraphs, cancellationToken).ConfigureAwait(false);
        advance();
        var ratios = new List<double>();
        var computed = new List<double>();
        var seconds = new List<double>();
        for (var repeat = 0; repeat < repeats; repeat++)
        {
            // A different paragraph each time, spread over the document; the edit appends a clause to it.
            var edited = (paragraphs.Count / 2 + repeat * 7) % paragraphs.Count;
            paragraphs[edited] = paragraphs[edited].TrimEnd('.') + string.Create(CultureInfo.InvariantCulture, $", as revision {repeat + 1} notes.");
            var result = await IngestAsync(ingestor, paragraphs, cancellationToken).ConfigureAwait(false);
            ratios.Add((double)result.EmbeddingsReused / result.Chunks);
            computed.Add(result.EmbeddingsComputed);
            seconds.Add(result.Elapsed.TotalSeconds);
            advance();
        }
        var chunks = first.Chunks.ToString(CultureInfo.InvariantCulture);
        return
        [
            new(Section, $"first ingest ({chunks} chunks)", "s", Summary.Of([first.Elapsed.TotalSeconds])),
            new(Section, "re-ingest after editing one paragraph", "s", Summary.Of(seconds)),
            new(Section, "embeddings computed per edit", "chunks", Summary.Of(computed)),
            new(Section, "embedding reuse after one edit", "ratio", Summary.Of(ratios)),
        ];
    }

    private static async Task<IngestionResult> IngestAsync(DocumentIngestor ingestor, List<string> paragraphs, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(Markdown(paragraphs)), writable: false);
        var result = await ingestor.IngestAsync(DocumentId, content, cancellationToken).ConfigureAwait(false);
        return result.Outcome == IngestionOutcome.Indexed ? result : throw new InvalidOperationException($"The edited document ended {result.Outcome}: {result.Error}");
    }

    /// <summary>Paragraphs of three corpus sentences, as many as it takes for the chunker to cut about <paramref name="targetChunks"/> chunks.</summary>
    private List<string> Paragraphs(Chunker chunker, int targetChunks)
    {
        var paragraphs = new List<string>();
        var sentence = 0;
        while (true)
        {
            var count = chunker.Chunk(new ExtractedDocument(DocumentId, [.. Blocks(paragraphs)])).Count;
            if (count >= targetChunks)
            {
                return paragraphs;
            }
            for (var i = 0; i < Math.Max(1, (targetChunks - count) / 2); i++)
            {
                paragraphs.Add(string.Join(' ', Enumerable.Range(0, 3).Select(_ => corpus.Sentences[sentence++ % corpus.Sentences.Count])));
            }
            Debug.Assert(paragraphs.Count < 100_000);
        }
    }

    private static IEnumerable<DocumentBlock> Blocks(List<string> paragraphs)
    {
        for (var i = 0; i < paragraphs.Count; i++)
        {
            if (i % 10 == 0)
            {
                yield return new DocumentBlock(BlockKind.Heading, string.Create(CultureInfo.InvariantCulture, $"Section {i / 10 + 1}"), 2);
            }
            yield return new DocumentBlock(BlockKind.Paragraph, paragraphs[i], 0);
        }
    }

    private static string Markdown(List<string> paragraphs)
    {
        var markdown = new StringBuilder();
        for (var i = 0; i < paragraphs.Count; i++)
        {
            if (i % 10 == 0)
            {
                markdown.Append(CultureInfo.InvariantCulture, $"## Section {i / 10 + 1}\n\n");
            }
            // Sentences from abstracts may hold Markdown punctuation; escaping keeps the measured text literal.
            CorpusDocuments.AppendEscaped(markdown, paragraphs[i]);
            markdown.Append("\n\n");
        }
        return markdown.ToString();
    }
}
