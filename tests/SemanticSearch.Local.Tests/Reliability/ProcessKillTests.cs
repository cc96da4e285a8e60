using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace SemanticSearch.Local.Tests.Reliability;

/// <summary>
/// The real executable killed with SIGKILL in the middle of an ingest, three times at different points, then run to
/// its end: the data folder must answer exactly as a clean ingest into a fresh folder does — same documents, same chunk
/// ids, no duplicate, the same hits in the same order for every query in every mode. Nothing in the product runs at a
/// SIGKILL, so only what was made durable before it (a Lucene commit, a SQLite transaction) survives; this proves the
/// order of those writes leaves nothing half-done that a restart does not redo.
/// </summary>
public sealed class ProcessKillTests(ITestOutputHelper output)
{
    private const int Documents = 48;

    /// <summary>
    /// One document a batch: an ingest is 48 commits, so a kill lands before, inside or between them; and every chunk is
    /// embedded with the same neighbours (its own document's) in the killed run and the clean one. Int8 vectors depend a
    /// little on their batch, so with the default batches a restart that regroups documents gives the same chunks but
    /// slightly different vector scores (docs/reliability.md) — not what this test is about.
    /// </summary>
    private static readonly Dictionary<string, string> Environment = new() { ["Ingestion__BatchDocuments"] = "1" };

    private static readonly string[] Queries =
    [
        "glacier sediment migrated across the coastal harbor",
        "neuron voltage signal",
        "monsoon climate predicted",
        "Paragraph 7 reports",
        "ancient library ledger",
        "photon orbit comet thermal",
        "enzyme protein cell reduced",
        "rural market tariff collapsed",
    ];

    [Fact]
    public async Task AnIngestKilledThreeTimesAnswersExactlyAsACleanIngest()
    {
        using var root = new TempDirectory();
        var docs = Path.Combine(root.Path, "docs");
        var data = Path.Combine(root.Path, "data");
        var clean = Path.Combine(root.Path, "clean");
        WriteCorpus(docs);
        var clock = Stopwatch.StartNew();

        // Kill when the first batch is recorded, then a third and two thirds of the way; the delays move the kill off
        // the batch boundary into the next batch's embedding, index writes or commit.
        (int Indexed, int DelayMs)[] killPoints = [(1, 0), (Documents / 3, 40), (2 * Documents / 3, 90)];
        foreach (var (threshold, delay) in killPoints)
        {
            using var run = LocalExecutable.Start(["ingest", docs, "--data", data], Environment);
            var reached = await WaitForIndexedAsync(data, threshold, run);
            await Task.Delay(delay);
            Assert.False(run.Process.HasExited, $"The ingest ended before it could be killed (threshold {threshold}):\n{run.Output}");
            await run.KillAsync();
            var recorded = CountIndexed(data);
            var chunks = IndexSnapshot.ReadChunks(Path.Combine(data, "index")).Count;
            output.WriteLine($"SIGKILL at {clock.Elapsed.TotalSeconds:F1} s: {reached} documents recorded indexed when the threshold {threshold} was seen, " +
                $"{recorded} after the kill, {chunks} chunks committed");
            Assert.True(recorded < Documents, $"the kill came after the ingest had recorded every document ({recorded})");
        }

        var (finalExit, finalOutput) = await LocalExecutable.RunAsync(["ingest", docs, "--data", data], Environment);
        Assert.True(finalExit == 0, finalOutput);
        output.WriteLine($"restarted ingest finished at {clock.Elapsed.TotalSeconds:F1} s");
        var (cleanExit, cleanOutput) = await LocalExecutable.RunAsync(["ingest", docs, "--data", clean], Environment);
        Assert.True(cleanExit == 0, cleanOutput);
        output.WriteLine($"clean ingest finished at {clock.Elapsed.TotalSeconds:F1} s");

        var expected = await IndexSnapshot.ReadAsync(clean, Queries);
        var actual = await IndexSnapshot.ReadAsync(data, Queries);
        output.WriteLine($"{actual.Statuses.Count} documents, {actual.Chunks.Count} chunks ({expected.Chunks.Count} in the clean ingest), " +
            $"{actual.Answers.Count} answers compared; {clock.Elapsed.TotalSeconds:F1} s in all");
        Assert.Equal(Documents, expected.Statuses.Count);
        actual.AssertAnswersAs(expected);
    }

    /// <summary>Documents of 2 to 7 paragraphs (a chunk each, about), Markdown and plain text, some in a subfolder.</summary>
    internal static List<string> WriteCorpus(string docs, int count = Documents)
    {
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var paragraphs = SyntheticDocument.Paragraphs(2 + i % 6, seed: 1000 + i);
            var id = (i % 5 == 0 ? "nested/" : "") + $"doc-{i:D3}" + (i % 2 == 0 ? ".md" : ".txt");
            var text = i % 2 == 0 ? $"# Document {i}\n\n" + SyntheticDocument.Markdown(paragraphs) : string.Join("\n\n", paragraphs);
            var path = Path.Combine(docs, id);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            ids.Add(id);
        }
        return ids;
    }

    private static async Task<int> WaitForIndexedAsync(string data, int threshold, LocalExecutable run)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var indexed = CountIndexed(data);
            if (indexed >= threshold)
            {
                return indexed;
            }
            Assert.False(run.Process.HasExited, $"The ingest ended at {indexed} documents before the kill point {threshold}:\n{run.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"No progress to {threshold} documents in 60 s:\n{run.Output}");
            await Task.Delay(10);
        }
    }

    /// <summary>Documents the status store records as indexed, read as another process would (read-only, no pool).</summary>
    private static int CountIndexed(string data)
    {
        var file = Path.Combine(data, "documents.db");
        if (!File.Exists(file))
        {
            return 0;
        }
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM documents WHERE state = 'Indexed'";
            return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            return 0; // the file exists but its schema is not written yet
        }
    }
}
