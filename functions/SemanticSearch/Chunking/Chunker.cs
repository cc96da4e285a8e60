using Microsoft.Extensions.Options;
using SemanticSearch.Configuration;
using SemanticSearch.Extraction;

namespace SemanticSearch.Chunking;

/// <summary>
/// Cuts a document into chunks the encoder can read whole, along the document's own structure so that boundaries
/// survive edits:
/// <list type="bullet">
/// <item>a heading always starts a chunk, and is joined to the text that follows it;</item>
/// <item>a block (paragraph, list item…) that fits stays whole; a small one is joined to its successor while the
/// chunk is still small, so a list of short items does not become a swarm of tiny chunks;</item>
/// <item>a block that does not fit is cut between sentences (with optional overlap), and a sentence that alone does
/// not fit is cut between words.</item>
/// </list>
/// Because every decision looks only at a block and its immediate neighbour, editing one paragraph changes only the
/// chunks around it; and because a chunk's id is the hash of the document id and its text, every other chunk keeps its
/// id and its cached embedding.
/// <para>
/// Each chunk also says where it sits, for citations: <see cref="TextChunk.Headings"/> is the heading path in force
/// where the chunk starts, outermost first — a heading closes every open heading of its level or deeper, so a level-2
/// heading sits under the level-1 before it and a new level-1 starts afresh; a chunk that starts with a heading
/// includes it. <see cref="TextChunk.Page"/> is its blocks' page: a page break always ends a chunk, so a chunk never
/// spans two pages. Neither is part of the id: moving text under another heading or page keeps its id and embedding.
/// </para>
/// </summary>
public sealed class Chunker
{
    /// <summary>[CLS] and [SEP], which the encoder adds to every input and which count against its limit.</summary>
    private const int SpecialTokens = 2;

    private readonly ITokenCounter _tokens;
    private readonly int _budget;
    private readonly int _smallChunk;
    private readonly int _overlap;

    public Chunker(ITokenCounter tokens, IOptions<ChunkingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _tokens = tokens;
        var settings = options.Value;
        _budget = settings.MaxTokens - SpecialTokens;
        _smallChunk = _budget / 4;
        _overlap = Math.Min(settings.OverlapTokens, _budget / 2);
    }

    public IReadOnlyList<TextChunk> Chunk(ExtractedDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var pieces = new List<Piece>();
        Piece? pending = null;
        var headingPending = false;
        var headings = new List<(int Level, string Text)>();
        IReadOnlyList<string> path = [];
        int? page = null;

        foreach (var block in document.Blocks)
        {
            if (block.Page != page)
            {
                // A chunk never spans two pages, so the page it cites is exact.
                Flush();
                page = block.Page;
            }
            if (block.Kind == BlockKind.Heading)
            {
                Flush();
                var heading = Measure(block.Text);
                if (heading.Tokens > _budget)
                {
                    // A "heading" this long is really a paragraph; cut it like one (and it names no section).
                    headingPending = false;
                    AddPieces(Fit(block.Text, _budget));
                    continue;
                }
                var level = Math.Max(block.Level, 1);
                headings.RemoveAll(open => open.Level >= level);
                headings.Add((level, block.Text));
                path = [.. headings.Select(open => open.Text)];
                pending = Place(heading);
                headingPending = true;
                continue;
            }
            // Right after a (short) heading, leave its room in the first piece, so the heading stays with its text.
            var reserved = pending is not null && pending.Tokens < _smallChunk && headingPending ? pending.Tokens : 0;
            AddPieces(Fit(block.Text, _budget - reserved));
        }
        Flush();
        return Identify(document.DocumentId, pieces);

        void AddPieces(IEnumerable<Piece> fitted)
        {
            foreach (var piece in fitted)
            {
                headingPending = false;
                if (pending is not null && pending.Tokens < _smallChunk && pending.Tokens + piece.Tokens <= _budget)
                {
                    // The joined chunk keeps where it started: its first block's headings and page.
                    pending = pending with { Text = pending.Text + "\n" + piece.Text, Tokens = pending.Tokens + piece.Tokens };
                    continue;
                }
                Flush();
                pending = Place(piece);
            }
        }

        Piece Place(Piece piece) => piece with { Headings = path, Page = page };

        void Flush()
        {
            if (pending is not null)
            {
                pieces.Add(pending);
                pending = null;
            }
        }
    }

    private Piece Measure(string text) => new(text, _tokens.CountTokens(text));

    /// <summary>The block whole if it fits, else its sentences packed greedily into pieces that fit.</summary>
    private IEnumerable<Piece> Fit(string text, int firstBudget)
    {
        var whole = Measure(text);
        if (whole.Tokens <= firstBudget)
        {
            yield return whole;
            yield break;
        }

        var current = new List<Piece>();
        var currentTokens = 0;
        var pieces = 0;
        foreach (var sentence in SentenceSplitter.Split(text).Select(Measure))
        {
            if (sentence.Tokens > _budget)
            {
                if (current.Count > 0)
                {
                    pieces++;
                    yield return Join(current);
                    current.Clear();
                    currentTokens = 0;
                }
                foreach (var window in SplitWords(sentence.Text))
                {
                    pieces++;
                    yield return window;
                }
                continue;
            }
            if (currentTokens + sentence.Tokens > (pieces == 0 ? firstBudget : _budget) && current.Count > 0)
            {
                pieces++;
                var finished = Join(current);
                yield return finished;
                current = Overlap(current, sentence.Tokens);
                currentTokens = current.Sum(p => p.Tokens);
            }
            current.Add(sentence);
            currentTokens += sentence.Tokens;
        }
        if (current.Count > 0)
        {
            yield return Join(current);
        }
    }

    /// <summary>The trailing sentences of the previous piece, up to the overlap budget, that still leave room for the next sentence.</summary>
    private List<Piece> Overlap(List<Piece> previous, int nextTokens)
    {
        var kept = new List<Piece>();
        var tokens = 0;
        for (var i = previous.Count - 1; i >= 0; i--)
        {
            var candidate = previous[i];
            if (tokens + candidate.Tokens > _overlap || tokens + candidate.Tokens + nextTokens > _budget)
            {
                break;
            }
            kept.Insert(0, candidate);
            tokens += candidate.Tokens;
        }
        return kept;
    }

    /// <summary>Last resort for a sentence longer than the budget: consecutive runs of whole words.</summary>
    private IEnumerable<Piece> SplitWords(string sentence)
    {
        var words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var current = new List<string>();
        var tokens = 0;
        foreach (var word in words)
        {
            var wordTokens = _tokens.CountTokens(word);
            if (tokens + wordTokens > _budget && current.Count > 0)
            {
                yield return new Piece(string.Join(' ', current), tokens);
                current.Clear();
                tokens = 0;
            }
            current.Add(word);
            tokens += wordTokens;
        }
        if (current.Count > 0)
        {
            yield return new Piece(string.Join(' ', current), tokens);
        }
    }

    private static Piece Join(List<Piece> sentences) =>
        new(string.Join(' ', sentences.Select(s => s.Text)), sentences.Sum(s => s.Tokens));

    private static List<TextChunk> Identify(string documentId, List<Piece> pieces)
    {
        // The n-th repetition of the same text in a document gets its own id, still independent of its position.
        var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
        var chunks = new List<TextChunk>(pieces.Count);
        foreach (var piece in pieces)
        {
            var normalized = TextNormalizer.Normalize(piece.Text);
            if (normalized.Length == 0)
            {
                continue;
            }
            occurrences.TryGetValue(normalized, out var occurrence);
            occurrences[normalized] = occurrence + 1;
            // Where the chunk sits is not part of its id: only the document and the text are.
            chunks.Add(new TextChunk(ChunkId(documentId, normalized, occurrence), chunks.Count, piece.Text, piece.Tokens)
            {
                Headings = piece.Headings,
                Page = piece.Page,
            });
        }
        return chunks;
    }

    internal static string ChunkId(string documentId, string normalizedText, int occurrence) =>
        ContentHash.Of($"{documentId}\u001f{normalizedText}\u001f{occurrence}")[..32];

    private sealed record Piece(string Text, int Tokens)
    {
        public IReadOnlyList<string> Headings { get; init; } = [];

        public int? Page { get; init; }
    }
}
