using System.Globalization;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Ingestion;
using SemanticSearch.Local.Commands;
using SemanticSearch.Query;

namespace SemanticSearch.Local.Tests.Support;

/// <summary>
/// What a data folder holds and answers, read after its writer has gone: every document status, every chunk the Lucene
/// index holds (read from the index files themselves, so a duplicate cannot hide behind a search), and the answers to a
/// set of queries in each retrieval mode through the product's own search service. Two snapshots compare equal when a
/// user could not tell the two folders apart.
/// </summary>
internal sealed record IndexSnapshot(
    IReadOnlyDictionary<string, DocumentStatus> Statuses,
    IReadOnlyList<(string DocumentId, string ChunkId)> Chunks,
    IReadOnlyDictionary<string, IReadOnlyList<SearchResult>> Answers)
{
    public static readonly string[] Modes = ["hybrid", "vector", "keyword"];

    public static async Task<IndexSnapshot> ReadAsync(string data, IReadOnlyList<string> queries, int top = 20)
    {
        var chunks = ReadChunks(Path.Combine(data, "index"));
        await using var services = await CommandServices.BuildAsync(CommonOptions.Settings(new DirectoryInfo(data)), CancellationToken.None);
        var statuses = new Dictionary<string, DocumentStatus>(StringComparer.Ordinal);
        await foreach (var status in services.GetRequiredService<IDocumentStatusStore>().ListAllAsync(CancellationToken.None))
        {
            statuses[status.DocumentId] = status;
        }
        var search = services.GetRequiredService<SearchService>();
        var answers = new Dictionary<string, IReadOnlyList<SearchResult>>(StringComparer.Ordinal);
        foreach (var query in queries)
        {
            foreach (var mode in Modes)
            {
                var request = SearchRequestParser.Parse(query, top.ToString(CultureInfo.InvariantCulture), mode).Request!;
                answers[$"{mode}: {query}"] = (await search.SearchAsync(request, CancellationToken.None)).Results;
            }
        }
        return new IndexSnapshot(statuses, chunks, answers);
    }

    /// <summary>Every live chunk in the index files, with its document.</summary>
    public static List<(string DocumentId, string ChunkId)> ReadChunks(string indexFolder)
    {
        var chunks = new List<(string, string)>();
        using var directory = FSDirectory.Open(new DirectoryInfo(indexFolder));
        if (!DirectoryReader.IndexExists(directory))
        {
            return chunks;
        }
        using var reader = DirectoryReader.Open(directory);
        var live = MultiFields.GetLiveDocs(reader);
        var fields = new HashSet<string>(StringComparer.Ordinal) { "doc_id", "chunk_id" };
        for (var i = 0; i < reader.MaxDoc; i++)
        {
            if (live is not null && !live.Get(i))
            {
                continue;
            }
            var document = reader.Document(i, fields);
            chunks.Add((document.Get("doc_id", CultureInfo.InvariantCulture), document.Get("chunk_id", CultureInfo.InvariantCulture)));
        }
        return chunks;
    }

    /// <summary>Chunk ids that occur more than once (a duplicate chunk).</summary>
    public IReadOnlyList<string> DuplicateChunkIds =>
        [.. Chunks.GroupBy(c => c.ChunkId, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key)];

    /// <summary>Asserts that a user could not tell this folder from <paramref name="expected"/>: same documents, chunks, and answers.</summary>
    public void AssertAnswersAs(IndexSnapshot expected)
    {
        AssertSameContentAs(expected);
        var differences = AnswerDifferences(expected);
        Assert.True(differences.Count == 0, $"{differences.Count} of {expected.Answers.Count} answers differ from a clean ingest:\n" + string.Join('\n', differences));
    }

    /// <summary>Asserts the same documents, all indexed, with the same chunks and no duplicate.</summary>
    public void AssertSameContentAs(IndexSnapshot expected)
    {
        Assert.Empty(DuplicateChunkIds);
        Assert.Empty(expected.DuplicateChunkIds);
        Assert.Equal(expected.Statuses.Keys.Order(StringComparer.Ordinal), Statuses.Keys.Order(StringComparer.Ordinal));
        foreach (var (id, status) in Statuses)
        {
            Assert.True(status.State == DocumentState.Indexed, $"{id} is {status.State}: {status.Error}");
            Assert.True(expected.Statuses[id].Chunks == status.Chunks, $"{id}: {status.Chunks} chunks, a clean ingest has {expected.Statuses[id].Chunks}");
        }
        Assert.Equal(
            expected.Chunks.Order().Select(c => $"{c.DocumentId}#{c.ChunkId}"),
            Chunks.Order().Select(c => $"{c.DocumentId}#{c.ChunkId}"));
    }

    /// <summary>Answers whose hits, order or scores (beyond 1e-4) differ from <paramref name="expected"/>, with the largest score gap of a chunk both hold.</summary>
    public List<string> AnswerDifferences(IndexSnapshot expected)
    {
        var differences = new List<string>();
        foreach (var (key, results) in expected.Answers)
        {
            var actual = Answers[key];
            var scores = actual.ToDictionary(r => r.ChunkId, r => r.Score, StringComparer.Ordinal);
            var gap = results.Where(r => scores.ContainsKey(r.ChunkId)).Select(r => Math.Abs(r.Score - scores[r.ChunkId])).DefaultIfEmpty(0).Max();
            if (!results.Select(r => (r.DocumentId, r.ChunkId)).SequenceEqual(actual.Select(r => (r.DocumentId, r.ChunkId))))
            {
                differences.Add($"{key}: order differs (largest score gap {gap:G3}): expected {Describe(results)}, got {Describe(actual)}");
            }
            else if (gap >= 1e-4)
            {
                differences.Add($"{key}: same order, largest score gap {gap:G3}");
            }
        }
        return differences;
    }

    private static string Describe(IReadOnlyList<SearchResult> results) =>
        string.Join(", ", results.Select(r => $"{r.DocumentId}#{r.ChunkId[..6]}"));
}
