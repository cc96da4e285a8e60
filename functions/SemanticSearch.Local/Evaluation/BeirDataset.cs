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
    private BeirDataset(IReadOnlyList<BeirDocument> corpus, IReadOnlyList<BeirQuery> queries, IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> qrels)
    {
        Corpus = corpus;
        Queries = queries;
        Qrels = qrels;
    }

    public IReadOnlyList<BeirDocument> Corpus { get; }

    /// <summary>The queries that have at least one judgement, in file order.</summary>
    public IReadOnlyList<BeirQuery> Queries { get; }

    /// <summary>Query id → (document id → relevance grade).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Qrels { get; }

    public static BeirDataset Load(string corpusPath, string queriesPath, string qrelsPath)
    {
        var corpus = ReadCorpus(corpusPath);
        var ids = corpus.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var qrels = ReadQrels(qrelsPath)
            .Select(q => (q.Key, Judged: (IReadOnlyDictionary<string, int>)q.Value.Where(j => ids.Contains(j.Key)).ToDictionary(StringComparer.Ordinal)))
            .Where(q => q.Judged.Count > 0)
            .ToDictionary(q => q.Key, q => q.Judged, StringComparer.Ordinal);
        var queries = ReadQueries(queriesPath).Where(q => qrels.ContainsKey(q.Id)).ToList();
        return new BeirDataset(corpus, queries, qrels);
    }

    public static IReadOnlyList<BeirDocument> ReadCorpus(string path) =>
        [.. ReadJsonLines(path).Select(e => new BeirDocument(RequiredString(e, "_id", path), OptionalString(e, "title"), OptionalString(e, "text")))];

    public static IReadOnlyList<BeirQuery> ReadQueries(string path) =>
        [.. ReadJsonLines(path).Select(e => new BeirQuery(RequiredString(e, "_id", path), OptionalString(e, "text")))];

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
