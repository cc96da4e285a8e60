using System.Globalization;
using System.Text.Json;

namespace SemanticSearch.Local.Evaluation;

/// <summary>
/// A retrieval benchmark in BEIR's file format: corpus.jsonl (<c>_id</c>, <c>title</c>, <c>text</c>), queries.jsonl
/// (<c>_id</c>, <c>text</c>) and a qrels TSV (<c>query-id corpus-id score</c>, header line first). As BEIR does, only
/// queries that have judgements are evaluated, and judgements of documents missing from the corpus are dropped.
/// </summary>
public sealed class BeirDataset
{
    private BeirDataset(IReadOnlyList<BeirDocument> corpus, IReadOnlyList<BeirQuery> queries, IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> qrels, IReadOnlyList<string> notes)
    {
        Corpus = corpus;
        Queries = queries;
        Qrels = qrels;
        Notes = notes;
    }

    /// <summary>What was wrong with the files but could be handled (repeated ids, judgements of unknown ids), to say to the user.</summary>
    public IReadOnlyList<string> Notes { get; }

    public IReadOnlyList<BeirDocument> Corpus { get; }

    /// <summary>The queries that have at least one judgement, in file order.</summary>
    public IReadOnlyList<BeirQuery> Queries { get; }

    /// <summary>Query id → (document id → relevance grade).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Qrels { get; }

    /// <exception cref="FormatException">A file is malformed or holds nothing to evaluate; the message names the file and line.</exception>
    public static BeirDataset Load(string corpusPath, string queriesPath, string qrelsPath)
    {
        var notes = new List<string>();
        var corpus = ReadCorpus(corpusPath, notes);
        var ids = corpus.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var allQueries = ReadQueries(queriesPath, notes);
        var queryIds = allQueries.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        var read = ReadQrels(qrelsPath);
        var unknownDocuments = read.Values.Sum(j => j.Keys.Count(id => !ids.Contains(id)));
        var unknownQueries = read.Keys.Count(id => !queryIds.Contains(id));
        if (unknownDocuments > 0)
        {
            notes.Add($"{qrelsPath}: {unknownDocuments} judgements name documents the corpus does not have; they are ignored.");
        }
        if (unknownQueries > 0)
        {
            notes.Add($"{qrelsPath}: {unknownQueries} judged queries are not in the queries file; they are ignored.");
        }
        var qrels = read
            .Where(q => queryIds.Contains(q.Key))
            .Select(q => (q.Key, Judged: (IReadOnlyDictionary<string, int>)q.Value.Where(j => ids.Contains(j.Key)).ToDictionary(StringComparer.Ordinal)))
            .Where(q => q.Judged.Count > 0)
            .ToDictionary(q => q.Key, q => q.Judged, StringComparer.Ordinal);
        var queries = allQueries.Where(q => qrels.ContainsKey(q.Id)).ToList();
        if (queries.Count == 0)
        {
            throw new FormatException($"{qrelsPath}: no query of {queriesPath} has a judgement of a document of {corpusPath}: nothing to evaluate.");
        }
        return new BeirDataset(corpus, queries, qrels, notes);
    }

    /// <summary>The corpus, first occurrence of each id kept (a repeat is noted); an empty file is an error.</summary>
    public static IReadOnlyList<BeirDocument> ReadCorpus(string path, List<string>? notes = null) =>
        Distinct(ReadJsonLines(path).Select(e => new BeirDocument(RequiredString(e, "_id", path), OptionalString(e, "title"), OptionalString(e, "text"))), d => d.Id, path, "documents", notes);

    /// <summary>The queries, first occurrence of each id kept (a repeat is noted); an empty file is an error.</summary>
    public static IReadOnlyList<BeirQuery> ReadQueries(string path, List<string>? notes = null) =>
        Distinct(ReadJsonLines(path).Select(e => new BeirQuery(RequiredString(e, "_id", path), OptionalString(e, "text"))), q => q.Id, path, "queries", notes);

    private static List<T> Distinct<T>(IEnumerable<T> items, Func<T, string> id, string path, string what, List<string>? notes)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<T>();
        var repeated = 0;
        foreach (var item in items)
        {
            if (seen.Add(id(item)))
            {
                kept.Add(item);
            }
            else
            {
                repeated++;
            }
        }
        if (kept.Count == 0)
        {
            throw new FormatException($"{path}: holds no {what}.");
        }
        if (repeated > 0)
        {
            notes?.Add($"{path}: {repeated} {what} repeat an earlier id; the first of each is used.");
        }
        return kept;
    }

    public static Dictionary<string, Dictionary<string, int>> ReadQrels(string path)
    {
        var qrels = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1 || line.Length == 0)
            {
                continue; // the header (query-id corpus-id score), and blank lines
            }
            var fields = line.Split('\t');
            if (fields.Length < 3 || !int.TryParse(fields[^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var score))
            {
                throw new FormatException($"{path}:{lineNumber}: expected 'query-id<TAB>corpus-id<TAB>score', got '{line}'.");
            }
            if (!qrels.TryGetValue(fields[0], out var judged))
            {
                qrels[fields[0]] = judged = new Dictionary<string, int>(StringComparer.Ordinal);
            }
            judged[fields[1]] = score;
        }
        return qrels;
    }

    private static IEnumerable<JsonElement> ReadJsonLines(string path)
    {
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            JsonElement element;
            try
            {
                element = JsonDocument.Parse(line).RootElement.Clone();
            }
            catch (JsonException error)
            {
                throw new FormatException($"{path}:{lineNumber}: not a JSON object: {error.Message}", error);
            }
            yield return element;
        }
    }

    private static string RequiredString(JsonElement element, string property, string path) =>
        element.TryGetProperty(property, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? value.ToString()
            : throw new FormatException($"{path}: a line has no '{property}'.");

    private static string OptionalString(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : string.Empty;
}
