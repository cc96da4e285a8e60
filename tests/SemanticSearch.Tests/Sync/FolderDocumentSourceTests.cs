using SemanticSearch.Ingestion;
using SemanticSearch.Sync;

namespace SemanticSearch.Tests.Sync;

/// <summary>Nothing outside the documents folder is ever listed or read: links that lead out, and link loops, are skipped and reported.</summary>
public sealed class FolderDocumentSourceTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    private string Root => Path.Combine(_folder.Path, "docs");

    private string Outside => Path.Combine(_folder.Path, "outside");

    public FolderDocumentSourceTests()
    {
        Directory.CreateDirectory(Path.Combine(Root, "notes"));
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Root, "notes", "bees.md"), "Honeybees dance.");
        File.WriteAllText(Path.Combine(Outside, "secret.txt"), "The launch codes.");
    }

    [Fact]
    public async Task LinksLeadingOutOfTheFolderAndLoopsAreSkippedAndReported()
    {
        File.CreateSymbolicLink(Path.Combine(Root, "leak.txt"), Path.Combine(Outside, "secret.txt"));
        File.CreateSymbolicLink(Path.Combine(Root, "relative-leak.txt"), Path.Combine("..", "outside", "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "outside-folder"), Outside);
        Directory.CreateSymbolicLink(Path.Combine(Root, "notes", "loop"), Root);
        File.CreateSymbolicLink(Path.Combine(Root, "a"), Path.Combine(Root, "b"));
        File.CreateSymbolicLink(Path.Combine(Root, "b"), Path.Combine(Root, "a"));
        var logger = new ListLogger<FolderDocumentSource>();
        var source = new FolderDocumentSource(Root, logger: logger);

        var listed = await ListAsync(source);

        Assert.Equal(["notes/bees.md"], listed);
        // leak.txt, relative-leak.txt, outside-folder, and the two links a and b that point at each other; the folder
        // link back to the root stays inside and is simply not followed.
        Assert.Equal(5, logger.Entries.Count(e => e.Message.StartsWith("Skipped the link", StringComparison.Ordinal)));
        Assert.Contains(logger.Entries, e => e.Message.Contains("never ends", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FileLinksThatStayInsideTheFolderAreDocumentsAndFolderLinksAreNotFollowed()
    {
        File.CreateSymbolicLink(Path.Combine(Root, "alias.md"), Path.Combine(Root, "notes", "bees.md"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "shortcut"), Path.Combine(Root, "notes"));
        var source = new FolderDocumentSource(Root);

        var listed = await ListAsync(source);

        Assert.Equal(["alias.md", "notes/bees.md"], listed);
    }

    [Fact]
    public async Task ARootReachedThroughALinkIsStillItsOwnInside()
    {
        var linkedRoot = Path.Combine(_folder.Path, "linked-docs");
        Directory.CreateSymbolicLink(linkedRoot, Root);
        var source = new FolderDocumentSource(linkedRoot);

        Assert.Equal(["notes/bees.md"], await ListAsync(source));
        await using var content = await source.OpenAsync(new SourceDocument("notes/bees.md"), CancellationToken.None);
        Assert.NotNull(content);
    }

    [Theory]
    [InlineData("../outside/secret.txt")]
    [InlineData("notes/../../outside/secret.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("notes\\..\\..\\outside\\secret.txt")]
    public async Task AnIdThatIsNotAPathInsideTheFolderFindsAndOpensNothing(string documentId)
    {
        var source = new FolderDocumentSource(Root);

        Assert.Null(await source.FindAsync(documentId, CancellationToken.None));
        Assert.Null(await source.OpenAsync(new SourceDocument(documentId), CancellationToken.None));
    }

    [Fact]
    public async Task AFileSwappedForALinkOutAfterItWasListedIsNotOpened()
    {
        var source = new FolderDocumentSource(Root);
        var listed = (await ListDocumentsAsync(source)).Single();
        var path = Path.Combine(Root, "notes", "bees.md");
        File.Delete(path);
        File.CreateSymbolicLink(path, Path.Combine(Outside, "secret.txt"));

        Assert.Null(await source.OpenAsync(listed, CancellationToken.None));
    }

    public void Dispose() => _folder.Dispose();

    private static async Task<List<string>> ListAsync(FolderDocumentSource source) =>
        [.. (await ListDocumentsAsync(source)).Select(d => d.Id)];

    private static async Task<List<SourceDocument>> ListDocumentsAsync(FolderDocumentSource source)
    {
        var documents = new List<SourceDocument>();
        await foreach (var document in source.ListAsync(CancellationToken.None))
        {
            documents.Add(document);
        }
        return documents;
    }
}
