using SemanticSearch.Chunking;
using SemanticSearch.Local.Evaluation;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>
/// The texts every benchmark draws from: a BEIR corpus (documents, sentences) and its queries. Queries are handed out
/// by a running number, so a measurement that needs a result-cache miss always gets a text never searched before
/// (once the file's queries are used up, a suffix makes the text new).
/// </summary>
public sealed class BenchmarkCorpus
{
    private readonly IReadOnlyList<string> _queries;
    private int _nextQuery;

    public BenchmarkCorpus(IReadOnlyList<BeirDocument> documents, IReadOnlyList<string> queries)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(queries);
        if (documents.Count == 0 || queries.Count == 0)
        {
            throw new ArgumentException("A benchmark needs at least one document and one query.");
        }
        Documents = documents;
        _queries = queries;
        Sentences = [.. documents.SelectMany(d => SplitSentences(d.Text))];
    }

    public IReadOnlyList<BeirDocument> Documents { get; }

    public IReadOnlyList<string> Sentences { get; }

    /// <summary>What was wrong with the files but could be handled (repeated ids or texts), to say to the user.</summary>
    public IReadOnlyList<string> Notes { get; private init; } = [];

    /// <summary>
    /// The files' documents and query texts. A text that repeats (ignoring case and spacing) is used once: a latency run
    /// needs every query it sends as a miss to be new to the result cache.
    /// </summary>
    /// <exception cref="FormatException">A file is malformed or holds nothing usable.</exception>
    public static BenchmarkCorpus Load(string corpusPath, string queriesPath)
    {
        var notes = new List<string>();
        var documents = BeirDataset.ReadCorpus(corpusPath, notes);
        var texts = BeirDataset.ReadQueries(queriesPath, notes).Select(q => q.Text.Trim()).Where(t => t.Length > 0).ToList();
        var distinct = texts.DistinctBy(t => TextNormalizer.Normalize(t).ToLowerInvariant(), StringComparer.Ordinal).ToList();
        if (distinct.Count == 0)
        {
            throw new FormatException($"{queriesPath}: holds no query text.");
        }
        if (distinct.Count < texts.Count)
        {
            notes.Add($"{queriesPath}: {texts.Count - distinct.Count} query texts repeat an earlier one; each is used once.");
        }
        return new BenchmarkCorpus(documents, distinct) { Notes = notes };
    }

    /// <summary>The next never-used query text (the file's texts are distinct; past the end a numbered suffix keeps them new).</summary>
    public string NextQuery()
    {
        var number = _nextQuery++;
        var text = _queries[number % _queries.Count];
        return number < _queries.Count ? text : $"{text} {number / _queries.Count}";
    }

    public IReadOnlyList<string> NextQueries(int count) => [.. Enumerable.Range(0, count).Select(_ => NextQuery())];

    /// <summary>The document at a position, cycling through the corpus.</summary>
    public BeirDocument Document(int position) => Documents[position % Documents.Count];

    private static IEnumerable<string> SplitSentences(string text) =>
        text.Split(". ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.EndsWith('.') ? s : s + ".")
            .Where(s => s.Length > 20);
}
